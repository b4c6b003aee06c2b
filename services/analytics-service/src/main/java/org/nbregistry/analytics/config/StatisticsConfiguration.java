package org.nbregistry.analytics.config;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.LiveStatistics;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires the plain-Java live statistics to one refresh thread. */
@ApplicationScoped
public class StatisticsConfiguration {

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

    void stop(@Observes ShutdownEvent stopping) {
        refresher.shutdownNow();
    }
}
