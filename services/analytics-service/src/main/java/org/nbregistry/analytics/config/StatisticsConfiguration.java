package org.nbregistry.analytics.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
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
    static final String REFRESH_METRIC = "registry.analytics.refresh";
    /**
     * Bucket bounds in milliseconds. Not seconds: Micrometer's Prometheus histograms of a DistributionSummary count
     * values below 1 in the bucket of 1 (micrometer #3680), which hid every sub-second age in the "≤ 1 s" bucket.
     */
    static final double[] FRESHNESS_BUCKETS_MS = {50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000};

    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "statistics-refresh");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param minInterval     the least time between two refreshes: the price of coalescing a burst is at most this much
     *                        extra delay before a change shows
     * @param backlogInterval the least time between two refreshes while a consumer catches up with a backlog
     */
    @Produces
    @Singleton
    LiveStatistics liveStatistics(@ConfigProperty(name = "registry.analytics.refresh.min-interval", defaultValue = "25ms") Duration minInterval,
                                  @ConfigProperty(name = "registry.analytics.refresh.backlog-interval", defaultValue = "1s") Duration backlogInterval,
                                  MeterRegistry registry) {
        LiveStatistics live = new LiveStatistics((task, delay) -> refresher.schedule(task, delay, TimeUnit.MILLISECONDS),
                Clock.systemUTC(), minInterval.toMillis(), backlogInterval.toMillis());
        Timer refreshTime = Timer.builder(REFRESH_METRIC)
                .description("Time a refresh takes to bring the changed analyses up to date (incremental, under the statistics' lock)")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(1000))
                .register(registry);
        live.onRefresh(refreshed -> refreshTime.record(refreshed.computeNanos(), TimeUnit.NANOSECONDS));
        return live;
    }

    @Produces
    @Singleton
    AnalystQueries analystQueries(LiveStatistics live) {
        return new AnalystQueries(live);
    }

    /**
     * registry_analytics_freshness_milliseconds: from intake accepting the change (the envelope's acceptedAt, else its
     * occurredAt) to the served statistics reflecting it. Fixed buckets, so that quantiles
     * can be aggregated across instances (histogram_quantile). A summary in milliseconds rather than a Timer: a Timer sums
     * nanoseconds in a long, which replayed months-old events overflow.
     */
    @Produces
    @Singleton
    Freshness freshness(LiveStatistics live, MeterRegistry registry) {
        Map<String, DistributionSummary> byType = new ConcurrentHashMap<>();
        // Registered up front, so that the series exist (at zero) before the first event.
        Projector.KNOWN_TYPES.forEach(type -> byType.put(type, freshnessHistogram(registry, type)));
        return Freshness.follow(live, Clock.systemUTC(), (type, age) -> byType.computeIfAbsent(type, t -> freshnessHistogram(registry, t))
                .record(age.getSeconds() * 1e3 + age.getNano() / 1e6));
    }

    static DistributionSummary freshnessHistogram(MeterRegistry registry, String eventType) {
        return DistributionSummary.builder(FRESHNESS_METRIC)
                .baseUnit("milliseconds")
                .description("Time from intake accepting the change (envelope acceptedAt, else occurredAt) to the served statistics reflecting it")
                .tag("type", eventType)
                .serviceLevelObjectives(FRESHNESS_BUCKETS_MS)
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
