package org.nbregistry.intake.submission;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the records of unpublished submissions, oldest first, and marks a submission published only after
 * Kafka acknowledged all of its records (acks=all). A crash in between re-sends the same events with the same
 * ids, which the owning services skip. Requests are coalesced into one running drain per replica.
 */
@ApplicationScoped
public class SubmissionRelay {

    private static final Logger LOG = Logger.getLogger(SubmissionRelay.class);
    private static final String ADDRESS = "intake.submissions.publish";
    private static final int BATCH_SIZE = 50;

    private final SubmissionStore store;
    private final MutinyEmitter<String> emitter;
    private final EventBus bus;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

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
        return drain();
    }

    /** Safety net: submissions accepted just before a crash or a broker outage are published within a second. */
    @Scheduled(every = "${registry.intake.relay-poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return drain();
    }

    private Uni<Void> drain() {
        requested.set(true);
        if (!draining.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return publishUntilEmpty()
                .onFailure().invoke(failure -> LOG.warnf("submission relay will retry: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> {
                    draining.set(false);
                    if (requested.get()) {
                        requestPublish();
                    }
                });
    }

    private Uni<Void> publishUntilEmpty() {
        requested.set(false);
        return store.unpublished(BATCH_SIZE)
                .flatMap(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndConcatenate(this::publish)
                        .collect().last()
                        .replaceWith(batch.size()))
                .flatMap(published -> published == BATCH_SIZE ? publishUntilEmpty() : Uni.createFrom().voidItem());
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
