package org.nbregistry.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nbregistry.outbox.InboxBatch.Delivery;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;
import org.nbregistry.support.tracing.TraceParent;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies each consumed message exactly once, a poll's records at a time. Invariants:
 * <ul>
 * <li>A message's id, its effect on the service's state and the events the effect queues in the outbox commit in
 * one transaction, so a redelivery finds the id and changes nothing.</li>
 * <li>A poll's records are applied in one transaction: their ids recorded in one statement, the effects of the first
 * deliveries run one after another in Kafka order (a patient's records share key and partition, so they keep their
 * order), the outbox rows written in one statement.</li>
 * <li>A record that is not an envelope, or whose effect can never succeed ({@link MalformedEventException}, or
 * still failing after the retries), goes to {@code <topic>.dlq} and the rest of its poll is applied: when the
 * poll's transaction fails, each message is applied in a transaction of its own, transient failures (database,
 * lock conflicts) retried with backoff.</li>
 * <li>The poll is acknowledged (its offsets committed) only after its transactions committed and Kafka acknowledged
 * its dead letters; a crash before that redelivers the poll, which then changes nothing.</li>
 * </ul>
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);
    private static final String RECORD_IDS = """
            insert into processed_message (message_id, topic)
            select cast(id as uuid), topic from unnest(cast(:ids as text[]), cast(:topics as text[])) as m(id, topic)
            on conflict do nothing
            returning cast(message_id as text)""";

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final InboxMetrics metrics;

    public Inbox(Outbox outbox, DeadLetters deadLetters, InboxMetrics metrics) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /**
     * Applies a poll and acknowledges it, each record reading what it needs afresh; the channel must consume in batches
     * (batch=true).
     */
    public Uni<Void> applyBatch(KafkaRecordBatch<String, String> batch, Function<EventEnvelope, Uni<Void>> effect) {
        return applyBatch(batch, new Steps(envelopes -> Uni.createFrom().item(effect), true));
    }

    /** Applies a poll and acknowledges it, its records prepared together ({@link PollEffect}). */
    public Uni<Void> applyBatch(KafkaRecordBatch<String, String> batch, PollEffect effect) {
        return applyBatch(batch, new Steps(effect, false));
    }

    /**
     * @param clearAfterEach write each record's changes and forget its entities before the next (see {@link #flushAndClear})
     */
    private record Steps(PollEffect effect, boolean clearAfterEach) {
    }

    private Uni<Void> applyBatch(KafkaRecordBatch<String, String> batch, Steps effect) {
        long started = System.nanoTime();
        List<KafkaRecord<String, String>> records = batch.getRecords();
        String topic = records.isEmpty() ? "none" : records.get(0).getTopic();
        InboxBatch<KafkaRecord<String, String>> read = InboxBatch.read(records, KafkaRecord::getPayload, effect.effect()::concerns);
        return inTransaction(read.distinct(), effect)
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("a poll of %d records on %s failed as one transaction, applying them one by one: %s",
                            records.size(), topic, failure.toString());
                    metrics.fellBack(topic);
                    return oneByOne(read.deliveries(), effect);
                })
                .invoke(outbox::publishSoon)
                .chain(() -> Multi.createFrom().iterable(read.poison())
                        .onItem().transformToUniAndConcatenate(p -> deadLetters.send(p.source(), p.reason()))
                        .collect().last())
                .chain(() -> Uni.createFrom().completionStage(batch::ack))
                .invoke(() -> metrics.batch(topic, records.size(), Duration.ofNanos(System.nanoTime() - started)))
                // Unreachable by design (every path above recovers); a bug still must not lose the poll.
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(() -> batch.nack(failure)));
    }

    private Uni<Void> oneByOne(List<Delivery<KafkaRecord<String, String>>> deliveries, Steps effect) {
        return Multi.createFrom().iterable(deliveries)
                .onItem().transformToUniAndConcatenate(d -> inTransaction(List.of(d), effect)
                        .onFailure(failure -> !(failure instanceof MalformedEventException))
                        .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                        .onFailure().recoverWithUni(failure -> deadLetters.send(d.source(), failure)))
                .collect().last()
                .replaceWithVoid();
    }

    /** One transaction: records the ids, prepares and applies the first deliveries in order, writes their outbox rows. */
    private Uni<Void> inTransaction(List<Delivery<KafkaRecord<String, String>>> deliveries, Steps steps) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> outbox.collecting(() -> recordIds(deliveries).flatMap(recorded -> {
            List<Delivery<KafkaRecord<String, String>>> first = InboxBatch.firstDeliveries(deliveries, recorded);
            if (first.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return steps.effect().prepare(first.stream().map(Delivery::envelope).toList())
                    .flatMap(effect -> Multi.createFrom().iterable(first)
                            .onItem().transformToUniAndConcatenate(d -> Uni.createFrom().deferred(() -> {
                                        outbox.causedBy(traceParent(d.source()));
                                        return effect.apply(d.envelope());
                                    }).chain(() -> steps.clearAfterEach() ? flushAndClear() : Uni.createFrom().voidItem()))
                            .collect().last()
                            .replaceWithVoid());
        })));
    }

    /**
     * The trace context the Kafka connector gave the record (its consumer span, a child of the record's traceparent
     * header); null while tracing is off. The events the record causes continue its trace.
     */
    private static String traceParent(KafkaRecord<String, String> record) {
        return TracingMetadata.fromMessage(record).map(m -> TraceParent.of(m.getCurrentContext())).orElse(null);
    }

    /**
     * Writes one message's changes and forgets its entities before the next message: the next one reads what it
     * needs afresh (inside the same transaction), and the session's dirty checking, which visits every managed
     * entity before each query, stays as small as one message's work instead of growing with the poll.
     */
    private static Uni<Void> flushAndClear() {
        return Panache.getSession().chain(session -> session.flush().invoke(session::clear));
    }

    /** Records the ids in one statement; answers those not recorded before (the first deliveries). */
    private static Uni<Set<UUID>> recordIds(List<Delivery<KafkaRecord<String, String>>> deliveries) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(RECORD_IDS, String.class)
                        .setParameter("ids", deliveries.stream().map(d -> d.envelope().id().toString()).toArray(String[]::new))
                        .setParameter("topics", deliveries.stream().map(d -> d.source().getTopic()).toArray(String[]::new))
                        .getResultList())
                .map(ids -> {
                    Set<UUID> recorded = new HashSet<>();
                    ids.forEach(id -> recorded.add(UUID.fromString(id)));
                    return recorded;
                });
    }
}
