package org.nbregistry.analytics.survival.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Runs {@link RefreshBenchmark} (short: 1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, for a 2-core
 * machine), optionally times R on the same data with src/jmh/r/time_r.R, and prints one table.
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

        Map<Integer, Double> rSeconds = Boolean.parseBoolean(opt.get("r")) ? timeR(sizes, out) : Map.of();

        Options options = new OptionsBuilder()
                .include(RefreshBenchmark.class.getName())
                .param("episodes", sizes)
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms2g", "-Xmx6g")
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, double[]> scores = new HashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String size = r.getParams().getParam("episodes");
            var s = r.getPrimaryResult();
            scores.put(method + "@" + size, new double[] {s.getScore(), s.getScoreError()});
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%10s %6s %20s %20s %14s %16s %12s %12s %10s", "episodes", "days",
                "change+refresh ms", "same w/o Cox ms", "change only us", "from scratch ms", "R ms", "scratch/inc",
                "R/inc"));
        for (String size : sizes) {
            int n = Integer.parseInt(size.trim());
            double[] inc = scores.get("changeThenRefresh@" + size);
            double[] change = scores.get("changeOnly@" + size);
            double[] scratch = scores.get("fromScratch@" + size);
            double[] noCox = scores.get("changeThenRefreshWithoutCox@" + size);
            Double r = rSeconds.get(n);
            int days = distinctDays(n);
            lines.add(String.format(Locale.ROOT, "%10d %6d %11.3f ± %6.3f %11.3f ± %6.3f %14.2f %16.2f %12s %12s %10s",
                    n, days, inc[0], inc[1], noCox[0], noCox[1], change[0] * 1000, scratch[0], r == null ? "-" : String.format(Locale.ROOT,
                            "%.1f", r * 1000), String.format(Locale.ROOT, "%.0fx", scratch[0] / inc[0]),
                    r == null ? "-" : String.format(Locale.ROOT, "%.0fx", r * 1000 / inc[0])));
        }
        String table = String.join("\n", lines);
        System.out.println();
        System.out.println("Survival engine: one change + full refresh vs from scratch (EFS and OS: KM overall and by 8"
                + " factors with log CI, 16 log-rank tests, 16 categorical Cox fits, Efron)");
        System.out.println(table);
        Files.writeString(out.resolve("table.txt"), table + "\n");
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
