package org.nbregistry.outbox;

import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One poll's records, read: the envelopes to apply in Kafka order and the records that are no envelope at all
 * (poison, for the dead-letter topic). Plain data, so the batching rules are testable without Kafka or a database.
 *
 * @param deliveries every readable record that concerns the effect, in the order it was polled (redeliveries within the
 *                   poll included)
 * @param poison     the records that are not an event envelope, with the reason
 * @param <R>        the record type (a Kafka record in the service, anything in a test)
 */
record InboxBatch<R>(List<Delivery<R>> deliveries, List<Poison<R>> poison) {

    record Delivery<R>(R source, EventEnvelope envelope) {
    }

    record Poison<R>(R source, MalformedEventException reason) {
    }

    static <R> InboxBatch<R> read(List<R> records, Function<R, String> value, Predicate<EventEnvelope> concerns) {
        List<Delivery<R>> deliveries = new ArrayList<>(records.size());
        List<Poison<R>> poison = new ArrayList<>();
        for (R record : records) {
            try {
                EventEnvelope envelope = EventCodec.read(value.apply(record));
                if (concerns.test(envelope)) {
                    deliveries.add(new Delivery<>(record, envelope));
                }
            } catch (MalformedEventException e) {
                poison.add(new Poison<>(record, e));
            }
        }
        return new InboxBatch<>(List.copyOf(deliveries), List.copyOf(poison));
    }

    /** The first delivery of each message id, in order: a message polled twice in one batch is applied once. */
    List<Delivery<R>> distinct() {
        Set<UUID> seen = new HashSet<>();
        return deliveries.stream().filter(d -> seen.add(d.envelope().id())).toList();
    }

    /** Of {@code candidates}, those whose id {@code recorded} holds (the ids this transaction recorded first), in order. */
    static <R> List<Delivery<R>> firstDeliveries(List<Delivery<R>> candidates, Set<UUID> recorded) {
        return candidates.stream().filter(d -> recorded.contains(d.envelope().id())).toList();
    }
}
