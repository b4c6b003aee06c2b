package org.nbregistry.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceParentTest {

    @Test
    void aSpansContextIsWrittenAsTheW3CHeaderValue() {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", TraceParent.of(Context.root().with(Span.wrap(span))));
    }

    @Test
    void anUnsampledSpanKeepsItsFlag() {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getDefault(),
                TraceState.getDefault());
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", TraceParent.of(Context.root().with(Span.wrap(span))));
    }

    @Test
    void withoutASpanThereIsNothingToSend() {
        assertNull(TraceParent.of(Context.root()));
        assertNull(TraceParent.current());
    }
}
