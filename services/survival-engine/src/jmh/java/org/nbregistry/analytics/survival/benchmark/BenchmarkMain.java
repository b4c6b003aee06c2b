package org.nbregistry.analytics.survival.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link RefreshBenchmark} (short: 1 fork, 5 x 1 s warm-up — the JIT needs a few seconds to compile
 * the refresh on a busy 2-core machine — and 5 x 1 s measurement), optionally times R on the same data
 * with src/jmh/r/time_r.R, and prints one table.
 * Arguments: --sizes=1000,10000 --r=true|false --out=DIR
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Map<String, String> opt = new HashMap<>(Map.of("sizes", "1000,10000,100000,1000000", "r", "true",
                "out", "target/benchmark"));
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            opt.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        String[] sizes = opt.get("sizes").split(",");
        Path out = Path.of(opt.get("out"));
        Files.createDirectories(out);

        String loadBefore = loadAverage();
        Map<Integer, Double> rSeconds = Boolean.parseBoolean(opt.get("r")) ? timeR(sizes, out) : Map.of();

        Options options = new OptionsBuilder()
                .include(RefreshBenchmark.class.getName())
                .param("episodes", sizes)
                .forks(1)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms2g", "-Xmx6g")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> cpu = new HashMap<>();
        for (String size : sizes) {
            cpu.put(size, cpuMillisPerRefresh(Integer.parseInt(size.trim())));
        }

        Map<String, double[]> scores = new HashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String size = r.getParams().getParam("episodes");
            var s = r.getPrimaryResult();
            scores.put(method + "@" + size, new double[] {s.getScore(), s.getScoreError()});
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%10s %6s %20s %12s %20s %14s %16s %12s %12s %10s", "episodes", "days",
                "change+refresh ms", "(CPU ms)", "same w/o Cox ms", "change only us", "from scratch ms", "R ms",
                "scratch/inc", "R/inc"));
        for (String size : sizes) {
            int n = Integer.parseInt(size.trim());
            double[] inc = scores.get("changeThenRefresh@" + size);
            double[] change = scores.get("changeOnly@" + size);
            double[] scratch = scores.get("fromScratch@" + size);
            double[] noCox = scores.get("changeThenRefreshWithoutCox@" + size);
            Double r = rSeconds.get(n);
            int days = distinctDays(n);
            lines.add(String.format(Locale.ROOT, "%10d %6d %11.3f ± %6.3f %12.3f %11.3f ± %6.3f %14.2f %16.2f %12s %12s %10s",
                    n, days, inc[0], inc[1], cpu.get(size), noCox[0], noCox[1], change[0] * 1000, scratch[0],
                    r == null ? "-" : String.format(Locale.ROOT,
                            "%.1f", r * 1000), String.format(Locale.ROOT, "%.0fx", scratch[0] / inc[0]),
                    r == null ? "-" : String.format(Locale.ROOT, "%.0fx", r * 1000 / inc[0])));
        }
        lines.add(String.format(Locale.ROOT, "(%d cores; load average over 1 min: %s at the start, %s at the end:"
                + " others' work on the machine inflates wall-clock times)", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAverage()));
        String table = String.join("\n", lines);
        System.out.println();
        System.out.println("Survival engine: one change + full refresh vs from scratch (EFS and OS: KM overall and by 8"
                + " factors with log CI, 16 log-rank tests, 16 categorical Cox fits, Efron)");
        System.out.println(table);
        Files.writeString(out.resolve("table.txt"), table + "\n");
    }

    /**
     * Thread CPU time of one change + refresh (what changeThenRefresh does), which other jobs on the
     * machine do not inflate as they do wall-clock time: 5 s warm-up, then the median of 9 rounds of
     * at least 300 ms each.
     */
    private static double cpuMillisPerRefresh(int episodes) {
        SyntheticRegistry data = new SyntheticRegistry(episodes, 20240604L);
        RegistryStatistics statistics = new RegistryStatistics(data, true);
        statistics.refresh();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int next = 0;
        double[] rounds = new double[9];
        for (int round = -1; round < rounds.length; round++) {
            long until = System.nanoTime() + (round < 0 ? 5_000_000_000L : 300_000_000L);
            long cpu = threads.getCurrentThreadCpuTime();
            int ops = 0;
            while (System.nanoTime() < until) {
                next = (int) ((next + 7_919L) % episodes);
                statistics.redraw(next);
                statistics.refresh();
                ops++;
            }
            if (round >= 0) {
                rounds[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / ops;
            }
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException none) {
            return "?";
        }
    }

    /** Distinct EFS days of the synthetic registry at this size (the D the refresh cost depends on). */
    private static int distinctDays(int n) {
        SyntheticRegistry data = new SyntheticRegistry(n, 20240604L);
        boolean[] seen = new boolean[SyntheticRegistry.MAX_DAY + 1];
        int d = 0;
        for (int day : data.efsDay) {
            if (!seen[day]) {
                seen[day] = true;
                d++;
            }
        }
        return d;
    }

    /** Writes the data sets as CSV and times R on them; empty if Rscript is not available. */
    private static Map<Integer, Double> timeR(String[] sizes, Path out) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("Rscript", "src/jmh/r/time_r.R",
                out.resolve("r_timings.csv").toString()));
        for (String size : sizes) {
            int n = Integer.parseInt(size.trim());
            Path csv = out.resolve("data_" + n + ".csv");
            new SyntheticRegistry(n, 20240604L).writeCsv(csv);
            command.add(csv.toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException noR) {
            System.out.println("Rscript not found; R column left empty");
            return Map.of();
        }
        if (p.waitFor() != 0) {
            System.out.println("R timing failed; R column left empty");
            return Map.of();
        }
        Map<Integer, Double> seconds = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("r_timings.csv"))) {
            if (line.startsWith("#") || line.startsWith("episodes")) {
                continue;
            }
            String[] f = line.split(",");
            seconds.put(Integer.parseInt(f[0]), Double.parseDouble(f[2]));
        }
        return seconds;
    }
}
