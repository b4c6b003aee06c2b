package org.nbregistry.support.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** One counter name for dead letters in every service, whichever path wrote them, so one alert covers them all. */
public final class DeadLetterMeter {

    private DeadLetterMeter() {
    }

    /** Counts a consumed record of {@code topic} moved (or handed to the channel's strategy to move) to {@code <topic>.dlq}. */
    public static void increment(MeterRegistry registry, String topic) {
        Counter.builder("registry.inbox.dead.lettered")
                .description("Consumed records moved to <topic>.dlq")
                .tag("topic", topic)
                .register(registry)
                .increment();
    }
}
