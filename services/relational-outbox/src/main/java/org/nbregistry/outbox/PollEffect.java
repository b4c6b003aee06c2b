package org.nbregistry.outbox;

import io.smallrye.mutiny.Uni;
import org.nbregistry.support.events.EventEnvelope;

import java.util.List;
import java.util.function.Function;

/**
 * The effect of a poll's records when they are better read together: {@link #prepare} runs first in the poll's
 * transaction with the envelopes about to be applied (set-based reads of what they need), and answers the effect of
 * one record, which is then applied to each in Kafka order in the same transaction. The session keeps its entities
 * across the records, so what one record changed is what the next one sees; the changes are written when the
 * transaction ends (or when the effect flushes, e.g. before re-creating what it deleted).
 */
@FunctionalInterface
public interface PollEffect {

    Uni<Function<EventEnvelope, Uni<Void>>> prepare(List<EventEnvelope> envelopes);

    /**
     * Whether the record can change anything here. One that cannot is acknowledged with its poll but takes no part in
     * it: no inbox row, and a poll of such records alone opens no transaction.
     */
    default boolean concerns(EventEnvelope envelope) {
        return true;
    }
}
