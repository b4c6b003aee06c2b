package org.nbregistry.analytics.survival.benchmark;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * (a) one record change followed by a full refresh, (b) the same statistics from scratch, the refresh
 * without its Cox fits and the change alone, at 10^3..10^6 episodes. Run through {@link BenchmarkMain}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RefreshBenchmark {

    /** The synthetic registry, and the episode the next change goes to. */
    @State(Scope.Benchmark)
    public static class Registry {
        @Param({"1000", "10000", "100000", "1000000"})
        public int episodes;

        SyntheticRegistry data;
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            data = new SyntheticRegistry(episodes, 20240604L);
        }

        /** Steps through the episodes in a scattered order so no cache line stays hot. */
        int nextEpisode() {
            next = (int) ((next + 7_919L) % episodes);
            return next;
        }
    }

    /** The 40 incremental analyses, with Cox, refreshed once. */
    @State(Scope.Benchmark)
    public static class WithCox {
        RegistryStatistics statistics;

        @Setup(Level.Trial)
        public void setUp(Registry registry) {
            statistics = new RegistryStatistics(registry.data, true);
            statistics.refresh();
        }
    }

    /** The same without the 38 Cox fits. */
    @State(Scope.Benchmark)
    public static class WithoutCox {
        RegistryStatistics statistics;

        @Setup(Level.Trial)
        public void setUp(Registry registry) {
            statistics = new RegistryStatistics(registry.data, false);
            statistics.refresh();
        }
    }

    @Benchmark
    public double changeThenRefresh(Registry registry, WithCox state) {
        int i = registry.nextEpisode();
        state.statistics.redraw(i);
        return state.statistics.refresh();
    }

    /** As changeThenRefresh without the 38 Cox fits: the Kaplan–Meier and log-rank share of the refresh. */
    @Benchmark
    public double changeThenRefreshWithoutCox(Registry registry, WithoutCox state) {
        int i = registry.nextEpisode();
        state.statistics.redraw(i);
        return state.statistics.refresh();
    }

    @Benchmark
    public double fromScratch(Registry registry) {
        return RegistryStatistics.fromScratch(registry.data);
    }

    @Benchmark
    public int changeOnly(Registry registry, WithoutCox state) {
        int i = registry.nextEpisode();
        state.statistics.redraw(i);
        return i;
    }
}
