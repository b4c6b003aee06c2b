package org.nbregistry.analytics.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.LiveStatistics.Refreshed;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A span for a refresh of the statistics, linked to the consumed events it is the first to reflect (a second span for
 * the same refresh when a batch is registered only after the refresh that reflects it has run). A refresh serves
 * many events from many traces (and runs apart from the batches that asked for it), so it links to them rather than
 * joining one: following an event's trace leads to the refresh that made it visible to analysts. While tracing is
 * off the events carry no valid context and nothing is recorded.
 */
@ApplicationScoped
public class RefreshTrace {

    /** The events of one applied batch and the dataset version that includes them. */
    private record Applied(long datasetVersion, List<SpanContext> events) {
    }

    private final Tracer tracer;
    private final LiveStatistics live;
    private final List<Applied> waiting = new ArrayList<>();
    /** The latest refresh; guarded by {@link #waiting}. */
    private Refreshed last;

    public RefreshTrace(Tracer tracer, LiveStatistics live) {
        this.tracer = tracer;
        this.live = live;
        live.onRefresh(this::refreshed);
    }

    /** After a batch was applied: its records' consumer spans, to be linked from the refresh that reflects them. */
    void applied(List<? extends Message<?>> records) {
        List<SpanContext> events = records.stream()
                .flatMap(r -> TracingMetadata.fromMessage(r).stream())
                .map(m -> Span.fromContext(m.getCurrentContext()).getSpanContext())
                .filter(SpanContext::isValid)
                .toList();
        if (events.isEmpty()) {
            return;
        }
        long version = live.datasetVersion();
        Refreshed reflecting;
        synchronized (waiting) {
            // A refresh may already have reflected the batch (it runs on its own thread): link from that one.
            reflecting = last != null && last.datasetVersion() >= version ? last : null;
            if (reflecting == null) {
                waiting.add(new Applied(version, events));
            }
        }
        if (reflecting != null) {
            record(reflecting, events);
        }
    }

    private void refreshed(Refreshed refreshed) {
        List<SpanContext> links = new ArrayList<>();
        synchronized (waiting) {
            last = refreshed;
            for (Iterator<Applied> it = waiting.iterator(); it.hasNext(); ) {
                Applied applied = it.next();
                if (applied.datasetVersion() <= refreshed.datasetVersion()) {
                    links.addAll(applied.events());
                    it.remove();
                }
            }
        }
        if (!links.isEmpty()) {
            record(refreshed, links);
        }
    }

    private void record(Refreshed refreshed, List<SpanContext> links) {
        Instant end = refreshed.computedAt();
        SpanBuilder span = tracer.spanBuilder("analytics refresh").setNoParent()
                .setStartTimestamp(end.minus(refreshed.computeNanos(), ChronoUnit.NANOS))
                .setAttribute("registry.analytics.dataset_version", refreshed.datasetVersion())
                .setAttribute("registry.analytics.analyses_refreshed", refreshed.changed().size())
                .setAttribute("registry.analytics.events", links.size());
        links.forEach(span::addLink);
        span.startSpan().end(end);
    }
}
