package org.nbregistry.local.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Samples, every second for the whole bench, each consumer group's lag and each platform process's memory (RSS, PSS);
 * prints the lag as a time series per phase and the maxima at the end.
 */
final class Monitor implements AutoCloseable {

    /** One second's look: seconds since the bench started, lag by group, memory by component (either may be empty). */
    record Sample(double seconds, Map<String, Long> lag, Map<String, ProcessMemory.Resident> memory) {
    }

    private final ConsumerLag lag;
    private final ProcessMemory memory;
    private final long startNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-monitor");
        t.setDaemon(true);
        return t;
    });
    private volatile String lagProblem;

    Monitor(ConsumerLag lag, ProcessMemory memory, long startNanos) {
        this.lag = lag;
        this.memory = memory;
        this.startNanos = startNanos;
    }

    void start() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        Map<String, Long> lags = Map.of();
        try {
            lags = lag.sample();
            lagProblem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lagProblem = e.getMessage(); // reported with the series; the next second tries again
        }
        Sample sample = new Sample((System.nanoTime() - startNanos) / 1e9, lags, memory.sample());
        synchronized (samples) {
            samples.add(sample);
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The lag series between two instants (seconds since the bench started), one row every {@code every} seconds. */
    void printLag(PrintStream out, double from, double to, int every) {
        List<Sample> window = samples().stream().filter(s -> s.seconds() >= from && s.seconds() <= to).toList();
        TreeSet<String> groups = new TreeSet<>();
        window.forEach(s -> groups.addAll(s.lag().keySet()));
        if (groups.isEmpty()) {
            out.println("  consumer lag: no sample" + (lagProblem == null ? "" : " (" + lagProblem + ")"));
            return;
        }
        StringBuilder header = new StringBuilder(String.format("  %8s", "t (s)"));
        groups.forEach(g -> header.append(String.format(" %" + Math.max(8, g.length()) + "s", g)));
        out.println("  consumer lag (records not yet consumed), every " + every + " s:");
        out.println(header);
        double next = -1;
        for (Sample s : window) {
            if (s.seconds() + 1e-6 < next) {
                continue;
            }
            next = s.seconds() + every;
            StringBuilder row = new StringBuilder(String.format("  %8.0f", s.seconds()));
            groups.forEach(g -> row.append(String.format(" %" + Math.max(8, g.length()) + "s",
                    s.lag().containsKey(g) ? Long.toString(s.lag().get(g)) : "-")));
            out.println(row);
        }
    }

    /** The largest lag each group had between two instants. */
    Map<String, Long> maxLag(double from, double to) {
        Map<String, Long> max = new TreeMap<>();
        samples().stream().filter(s -> s.seconds() >= from && s.seconds() <= to)
                .forEach(s -> s.lag().forEach((g, l) -> max.merge(g, l, Math::max)));
        return max;
    }

    /**
     * Per component: the largest and the last value seen of one measure of its memory, in KiB; "total" sums the
     * components per sample.
     */
    Map<String, long[]> memory(ToLongFunction<ProcessMemory.Resident> measure) {
        Map<String, long[]> maxAndLast = new LinkedHashMap<>();
        for (Sample s : samples()) {
            if (s.memory().isEmpty()) {
                continue;
            }
            Map<String, Long> withTotal = new TreeMap<>();
            s.memory().forEach((component, resident) -> withTotal.put(component, measure.applyAsLong(resident)));
            withTotal.put("total", withTotal.values().stream().mapToLong(Long::longValue).sum());
            withTotal.forEach((component, kib) -> {
                long[] m = maxAndLast.computeIfAbsent(component, c -> new long[2]);
                m[0] = Math.max(m[0], kib);
                m[1] = kib;
            });
        }
        return maxAndLast;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
