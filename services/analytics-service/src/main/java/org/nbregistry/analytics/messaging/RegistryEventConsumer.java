package org.nbregistry.analytics.messaging;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nbregistry.analytics.projection.Projector;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;
import org.nbregistry.support.metrics.DeadLetterMeter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Domain events of episode-service (its episode and treatment topics), a poll at a time ({@code batch=true}): the
 * projector applies the batch's events together (one read, one write, one refresh). Each poison message (not an
 * envelope, or an event whose data cannot be applied) is nacked alone, which sends it to `<topic>.dlq`, and the rest
 * of the batch applies; the batch is acknowledged (its last offset per partition) once it is applied and its poison
 * messages are dead-lettered.
 *
 * <p>A full batch (max.poll.records) is taken as a backlog behind it, for which the statistics pace their refreshes.
 *
 * <p>A failure of the batch as a whole (MongoDB unreachable) is retried with back-off; if it persists, the batch is
 * nacked and every message of it is dead-lettered, as a single message was before batches.
 */
@ApplicationScoped
public class RegistryEventConsumer {

    private static final Logger LOG = Logger.getLogger(RegistryEventConsumer.class);

    private final Projector projector;
    private final RefreshTrace refreshTrace;
    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer batchApply;
    private final int episodeEventsPoll;
    private final int treatmentEventsPoll;

    public RegistryEventConsumer(Projector projector, RefreshTrace refreshTrace, MeterRegistry registry,
                                 @ConfigProperty(name = "mp.messaging.incoming.episode-events.max.poll.records", defaultValue = "500")
                                 int episodeEventsPoll,
                                 @ConfigProperty(name = "mp.messaging.incoming.treatment-events.max.poll.records", defaultValue = "500")
                                 int treatmentEventsPoll) {
        this.projector = projector;
        this.episodeEventsPoll = episodeEventsPoll;
        this.treatmentEventsPoll = treatmentEventsPoll;
        this.refreshTrace = refreshTrace;
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("registry.analytics.batch.size")
                .description("Messages per consumed batch (one Kafka poll of one topic)")
                .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 200, 500)
                .register(registry);
        this.batchApply = Timer.builder("registry.analytics.batch.apply")
                .description("Time to apply one batch: read the histories, apply, write, hand the changes to the statistics")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000))
                .register(registry);
    }

    @Incoming("episode-events")
    public Uni<Void> episodeEvents(KafkaRecordBatch<String, String> batch) {
        return consume(batch, episodeEventsPoll);
    }

    @Incoming("treatment-events")
    public Uni<Void> treatmentEvents(KafkaRecordBatch<String, String> batch) {
        return consume(batch, treatmentEventsPoll);
    }

    private Uni<Void> consume(KafkaRecordBatch<String, String> batch, int fullPoll) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        batchSize.record(records.size());
        List<EventEnvelope> events = new ArrayList<>(records.size());
        List<KafkaRecord<String, String>> sources = new ArrayList<>(records.size());
        List<Uni<Void>> deadLettered = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                events.add(EventCodec.read(record.getPayload()));
                sources.add(record);
            } catch (MalformedEventException e) {
                deadLettered.add(deadLetter(record, e));
            }
        }
        long started = System.nanoTime();
        return projector.apply(events, records.size() >= fullPoll)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .invoke(() -> batchApply.record(Duration.ofNanos(System.nanoTime() - started)))
                .invoke(() -> refreshTrace.applied(sources))
                .flatMap(rejected -> {
                    rejected.forEach(r -> deadLettered.add(deadLetter(sources.get(r.index()), r.reason())));
                    return deadLettered.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(deadLettered).andCollectFailures().replaceWithVoid();
                })
                .flatMap(done -> Uni.createFrom().completionStage(batch::ack))
                .onFailure().recoverWithUni(failure -> Uni.createFrom().completionStage(() -> batch.nack(failure)));
    }

    private Uni<Void> deadLetter(KafkaRecord<String, String> record, RuntimeException reason) {
        LOG.warnf("dead-lettering a message of %s-%d (key %s): %s", record.getTopic(), record.getPartition(), record.getKey(),
                reason.getMessage());
        return Uni.createFrom().completionStage(() -> record.nack(reason)).invoke(() -> DeadLetterMeter.increment(registry, record.getTopic()));
    }
}
