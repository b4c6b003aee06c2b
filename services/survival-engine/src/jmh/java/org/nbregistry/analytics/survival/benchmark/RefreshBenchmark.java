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
@State(Scope.Benchmark)
public class RefreshBenchmark {

    @Param({"1000", "10000", "100000", "1000000"})
    public int episodes;

    private SyntheticRegistry data;
    private RegistryStatistics incremental;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        data = new SyntheticRegistry(episodes, 20240604L);
        incremental = new RegistryStatistics(data);
        incremental.refresh();
    }

    /** Steps through the episodes in a scattered order so no cache line stays hot. */
    private int nextEpisode() {
        next = (int) ((next + 7_919L) % episodes);
        return next;
    }

    @Benchmark
    public double changeThenRefresh() {
        int i = nextEpisode();
        data.redraw(i);
        incremental.apply(i);
        return incremental.refresh();
    }

    /** As changeThenRefresh without the 16 Cox fits: the Kaplan–Meier and log-rank share of the refresh. */
    @Benchmark
    public double changeThenRefreshWithoutCox() {
        int i = nextEpisode();
        data.redraw(i);
        incremental.apply(i);
        return incremental.refresh(false);
    }

    @Benchmark
    public double fromScratch() {
        return RegistryStatistics.fromScratch(data);
    }

    @Benchmark
    public int changeOnly() {
        int i = nextEpisode();
        data.redraw(i);
        incremental.apply(i);
        return i;
    }
}
