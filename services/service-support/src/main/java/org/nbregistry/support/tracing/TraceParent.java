package org.nbregistry.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/**
 * A span's W3C trace context as the one string an outbox stores and a Kafka record carries in its {@value #HEADER}
 * header: {@code 00-<trace id>-<span id>-<flags>}. The relays send a stored event long after the request or record
 * that caused it, so its context travels with the event rather than with the relay's own (empty) context.
 */
public final class TraceParent {

    /** The W3C header name, the same in HTTP and in Kafka record headers. */
    public static final String HEADER = "traceparent";

    private TraceParent() {
    }

    /** The current span's traceparent, or null when no span is recording (tracing is off). */
    public static String current() {
        return of(Context.current());
    }

    /** The traceparent of the span in {@code context}, or null when it holds none. */
    public static String of(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }
}
