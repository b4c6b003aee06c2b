package org.nbregistry.intake.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nbregistry.intake.submission.SiteRecordStore;
import org.nbregistry.intake.submission.SubmissionStore;
import org.nbregistry.intake.submission.Verdict;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.MalformedEventException;
import org.nbregistry.support.metrics.DeadLetterMeter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows the owning service's verdicts, a poll's worth at a time: one update per submission and one bulk write of the
 * site records. Setting a status is idempotent, so redelivery is harmless. A verdict that cannot be read is nacked alone
 * (the dead-letter strategy sends it to registry.record-status.dlq) and the others are shown; a batch that keeps failing (the database away) is retried, then
 * dead-lettered whole by the channel's failure strategy.
 */
@ApplicationScoped
public class RecordStatusConsumer {

    private static final Logger LOG = Logger.getLogger(RecordStatusConsumer.class);

    private final SubmissionStore store;
    private final SiteRecordStore siteRecords;
    private final MeterRegistry registry;

    public RecordStatusConsumer(SubmissionStore store, SiteRecordStore siteRecords, MeterRegistry registry) {
        this.store = store;
        this.siteRecords = siteRecords;
        this.registry = registry;
    }

    @Incoming("record-status")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<Verdict> verdicts = new ArrayList<>();
        List<Uni<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch) {
            try {
                verdicts.add(EventCodec.payload(EventCodec.read(record.getPayload()), Verdict.class));
            } catch (MalformedEventException e) {
                deadLettered.add(deadLetter(record, e));
            }
        }
        Uni<Void> sent = deadLettered.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(deadLettered).andFailFast().replaceWithVoid();
        return sent.chain(() -> show(verdicts)
                        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(batch.nack(failure)));
    }

    private Uni<Void> show(List<Verdict> verdicts) {
        Map<String, List<Verdict>> bySubmission = new LinkedHashMap<>();
        verdicts.forEach(v -> bySubmission.computeIfAbsent(v.submissionId(), id -> new ArrayList<>()).add(v));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, List<Verdict>> submission : bySubmission.entrySet()) {
            chain = chain.chain(() -> store.recordVerdicts(submission.getKey(), submission.getValue()).invoke(found -> {
                if (found.size() < submission.getValue().size()) {
                    LOG.warnf("%d verdicts for records that submission %s does not have were ignored",
                            submission.getValue().size() - found.size(), submission.getKey());
                }
            }).replaceWithVoid());
        }
        return chain.chain(() -> siteRecords.recordVerdicts(verdicts));
    }

    /** Nacked alone: the channel's dead-letter strategy sends it to registry.record-status.dlq with its usual headers. */
    private Uni<Void> deadLetter(KafkaRecord<String, String> record, MalformedEventException reason) {
        LOG.warnf("unreadable verdict of %s-%d (key %s) goes to the DLQ: %s", record.getTopic(), record.getPartition(), record.getKey(),
                reason.getMessage());
        return Uni.createFrom().completionStage(() -> record.nack(reason)).invoke(() -> DeadLetterMeter.increment(registry, record.getTopic()));
    }
}
