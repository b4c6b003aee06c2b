package org.nbregistry.intake.submission;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.nbregistry.support.relay.CoalescingDrain;

import java.time.Duration;
import java.util.List;

/**
 * Publishes the records of unpublished submissions, oldest first, and marks a submission published only after
 * Kafka acknowledged all of its records (acks=all). A crash in between re-sends the same events with the same
 * ids, which the owning services skip. Requests are coalesced into one running drain per replica.
 */
@ApplicationScoped
public class SubmissionRelay {

    private static final String ADDRESS = "intake.submissions.publish";
    private static final int BATCH_SIZE = 50;

    private final SubmissionStore store;
    private final MutinyEmitter<String> emitter;
    private final EventBus bus;
    private final CoalescingDrain drain = new CoalescingDrain("submission relay", BATCH_SIZE, this::publishBatch,
            this::requestPublish);

    public SubmissionRelay(SubmissionStore store,
                           @Channel("records") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) MutinyEmitter<String> emitter,
                           EventBus bus) {
        this.store = store;
        this.emitter = emitter;
        this.bus = bus;
    }

    public void requestPublish() {
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
                    @ConfigProperty(name = "registry.intake.relay-poll-interval", defaultValue = "1s") Duration interval) {
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> requestPublish());
    }

    private Uni<Integer> publishBatch() {
        return store.unpublished(BATCH_SIZE)
                .flatMap(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndConcatenate(this::publish)
                        .collect().last()
                        .replaceWith(batch.size()));
    }

    private Uni<Void> publish(Submission submission) {
        List<Uni<Void>> acks = submission.records().stream().map(record -> emitter.sendMessage(Message.of(record.event())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(record.topic())
                        .withKey(record.patientPseudonym())
                        .build()))).toList();
        return Uni.join().all(acks).andFailFast().flatMap(done -> store.markPublished(submission.id()));
    }
}
