package org.nbregistry.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.support.metrics.DeadLetterMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each stage of the inbox and the outbox does, per consumed topic (served at /q/metrics): how many records a
 * poll brings, how long a batch takes from poll to commit, how many records went to the dead-letter topic, how
 * often a batch had to be applied one message at a time, how many rows the relay sends at once and how many wait.
 */
@ApplicationScoped
public class InboxMetrics {

    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    private final MeterRegistry registry;
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final DistributionSummary relayBatch;

    public InboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.relayBatch = DistributionSummary.builder("registry.outbox.relay.batch.size")
                .description("Outbox rows the relay published in one batch")
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        Gauge.builder("registry.outbox.backlog", outboxBacklog, AtomicLong::get)
                .description("Outbox rows not yet published, as the relay last counted them")
                .register(registry);
    }

    void batch(String topic, int records, Duration took) {
        DistributionSummary.builder("registry.inbox.batch.size")
                .description("Records in one consumed poll")
                .tag("topic", topic)
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry)
                .record(records);
        Timer.builder("registry.inbox.batch.apply")
                .description("From receiving a poll to its commit: transaction, dead letters, acknowledgement")
                .tag("topic", topic)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(took);
    }

    void fellBack(String topic) {
        Counter.builder("registry.inbox.batch.fallbacks")
                .description("Polls whose one transaction failed and were applied one message per transaction")
                .tag("topic", topic)
                .register(registry)
                .increment();
    }

    void deadLettered(String topic) {
        DeadLetterMeter.increment(registry, topic);
    }

    void relayed(int rows, long stillUnsent) {
        if (rows > 0) {
            relayBatch.record(rows);
        }
        outboxBacklog.set(stillUnsent);
    }
}
