package org.nbregistry.analytics.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.analytics.projection.Projector;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.Freshness;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.RefreshFeed;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires the plain-Java live statistics to one refresh thread, and the stream and the freshness metric to its refreshes. */
@ApplicationScoped
public class StatisticsConfiguration {

    static final String FRESHNESS_METRIC = "registry.analytics.freshness";
    /** Seconds: from what the refresh interval allows (100 ms) to what only a backlog or an outage explains. */
    static final double[] FRESHNESS_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300};

    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "statistics-refresh");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param minInterval the least time between two refreshes: the price of coalescing a burst is at most this much
     *                    extra delay before a change shows
     */
    @Produces
    @Singleton
    LiveStatistics liveStatistics(@ConfigProperty(name = "registry.analytics.refresh.min-interval", defaultValue = "100ms") Duration minInterval) {
        return new LiveStatistics((task, delay) -> refresher.schedule(task, delay, TimeUnit.MILLISECONDS), Clock.systemUTC(),
                minInterval.toMillis());
    }

    @Produces
    @Singleton
    AnalystQueries analystQueries(LiveStatistics live) {
        return new AnalystQueries(live);
    }

    /**
     * registry_analytics_freshness_seconds: from intake accepting the change (the envelope's acceptedAt, else its
     * occurredAt) to the served statistics reflecting it. Fixed buckets, so that quantiles
     * can be aggregated across instances (histogram_quantile). A summary in seconds rather than a Timer: a Timer sums
     * nanoseconds in a long, which replayed months-old events overflow.
     */
    @Produces
    @Singleton
    Freshness freshness(LiveStatistics live, MeterRegistry registry) {
        Map<String, DistributionSummary> byType = new ConcurrentHashMap<>();
        // Registered up front, so that the series exist (at zero) before the first event.
        Projector.KNOWN_TYPES.forEach(type -> byType.put(type, freshnessHistogram(registry, type)));
        return Freshness.follow(live, Clock.systemUTC(), (type, age) -> byType.computeIfAbsent(type, t -> freshnessHistogram(registry, t))
                .record(age.getSeconds() + age.getNano() / 1e9));
    }

    private static DistributionSummary freshnessHistogram(MeterRegistry registry, String eventType) {
        return DistributionSummary.builder(FRESHNESS_METRIC)
                .baseUnit("seconds")
                .description("Time from intake accepting the change (envelope acceptedAt, else occurredAt) to the served statistics reflecting it")
                .tag("type", eventType)
                .serviceLevelObjectives(FRESHNESS_BUCKETS)
                .register(registry);
    }

    /** The stream's subscribers follow every refresh through this one feed. */
    @Produces
    @Singleton
    RefreshFeed refreshFeed(LiveStatistics live) {
        return RefreshFeed.follow(live);
    }

    void stop(@Observes ShutdownEvent stopping) {
        refresher.shutdownNow();
    }
}
