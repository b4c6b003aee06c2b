package org.nbregistry.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;
import org.nbregistry.support.relay.CoalescingDrain;
import org.nbregistry.support.tracing.TraceParent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.List;

import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes outbox rows in id order and marks them sent only after Kafka acknowledged them (acks=all).
 * A crash between ack and mark re-sends the rows; consumers deduplicate on the envelope id, so nothing is lost
 * and nothing counts twice. A PostgreSQL advisory lock keeps replicas from relaying at the same time (which
 * would break per-patient order); requests within one replica are coalesced into one running drain.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String ADDRESS = "registry.outbox.publish";
    private static final long LOCK_KEY = 0x6E62726F75746278L;
    /** Rows per transaction and per burst of sends: large enough that the producer fills its batches (linger.ms). */
    static final int BATCH_SIZE = 500;

    private final MutinyEmitter<String> emitter;
    private final EventBus bus;
    private final InboxMetrics metrics;
    private final CoalescingDrain drain = new CoalescingDrain("outbox relay", BATCH_SIZE,
            () -> Panache.withTransaction(this::publishBatch), this::requestPublish);

    public OutboxRelay(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) MutinyEmitter<String> emitter,
                       EventBus bus, InboxMetrics metrics) {
        this.emitter = emitter;
        this.bus = bus;
        this.metrics = metrics;
    }

    void requestPublish() {
        bus.send(ADDRESS, "");
    }

    @ConsumeEvent(ADDRESS)
    Uni<Void> onRequest(String ignored) {
        return drain.drain();
    }

    /**
     * Safety net for requests lost to a crash, a restart or a broker outage: a timer asks for a drain every
     * interval. (A timer rather than @Scheduled: a scheduled run that failed while the channel was still
     * connecting was seen to block every later run.)
     */
    void startTimer(@Observes StartupEvent started, Vertx vertx,
                    @ConfigProperty(name = "registry.outbox.poll-interval", defaultValue = "1s") Duration interval) {
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> requestPublish());
    }

    private Uni<Integer> publishBatch() {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("select cast(pg_advisory_xact_lock(:key) as text)")
                        .setParameter("key", LOCK_KEY).getSingleResult())
                .flatMap(locked -> OutboxMessage.<OutboxMessage>find("sentAt is null order by id").page(0, BATCH_SIZE).list())
                .flatMap(pending -> pending.isEmpty() ? Uni.createFrom().item(0) : sendAll(pending).replaceWith(pending.size()))
                .call(sent -> backlog(sent));
    }

    /** Counts the rows still waiting (the backlog gauge): only when this batch was full, otherwise none wait. */
    private Uni<Long> backlog(int sent) {
        Uni<Long> unsent = sent == BATCH_SIZE ? OutboxMessage.count("sentAt is null") : Uni.createFrom().item(0L);
        return unsent.invoke(waiting -> metrics.relayed(sent, waiting));
    }

    private Uni<Void> sendAll(List<OutboxMessage> pending) {
        List<Uni<Void>> acks = pending.stream().map(this::send).toList();
        Instant sentAt = Instant.now();
        List<Long> ids = pending.stream().map(m -> m.id).toList();
        return Uni.join().all(acks).andFailFast()
                .flatMap(done -> OutboxMessage.update("sentAt = ?1 where id in ?2", sentAt, ids))
                .invoke(updated -> LOG.debugf("outbox relayed %d messages", updated))
                .replaceWithVoid();
    }

    /** Sends a row with the trace context stored with it, so the record continues the trace of what caused it. */
    private Uni<Void> send(OutboxMessage message) {
        Headers headers = new RecordHeaders();
        if (message.traceParent != null) {
            headers.add(TraceParent.HEADER, message.traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return emitter.sendMessage(Message.of(message.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(message.topic)
                .withKey(message.messageKey)
                .withHeaders(headers)
                .build()));
    }
}
