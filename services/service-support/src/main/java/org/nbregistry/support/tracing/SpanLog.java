package org.nbregistry.support.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/**
 * Writes every ended span as one line of the service's log ({@code registry.tracing.log-spans=true}), so a trace can
 * be followed on one machine without a collector: {@code grep trace=<id>} over the services' logs. Off by default;
 * it costs one log line per span, which the OTLP exporter does not.
 */
@Singleton
@Unremovable // found by the OpenTelemetry extension's lookup of SpanProcessor beans, not by injection
public class SpanLog implements SpanProcessor {

    private static final Logger LOG = Logger.getLogger("org.nbregistry.tracing");

    private final boolean enabled;

    public SpanLog(@ConfigProperty(name = "registry.tracing.log-spans", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        LOG.info(line(span.toSpanData()));
    }

    @Override
    public boolean isEndRequired() {
        return enabled;
    }

    static String line(SpanData span) {
        String links = span.getLinks().stream().map(LinkData::getSpanContext)
                .map(link -> link.getTraceId() + "/" + link.getSpanId()).collect(Collectors.joining(","));
        return String.format("span trace=%s span=%s parent=%s kind=%s name=\"%s\" ms=%.3f links=[%s]", span.getTraceId(),
                span.getSpanId(), span.getParentSpanId(), span.getKind(), span.getName(),
                (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6, links);
    }
}
