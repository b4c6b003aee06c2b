package org.nbregistry.analytics.survival.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded registry-shaped episodes for the benchmarks: EFS and OS in whole days (up to 15 years of
 * follow-up) and eight two-level factors, two of which carry real effects so tests and Cox have signal.
 */
public final class SyntheticRegistry {

    public static final int FACTORS = 8;
    public static final int MAX_DAY = 5475;
    public static final String[] LEVELS = {"0", "1"};

    public final int size;
    public final int[] efsDay;
    public final int[] efsStatus;
    public final int[] osDay;
    public final int[] osStatus;
    /** factor[f][i] in {0, 1}: index into {@link #LEVELS}. */
    public final int[][] factor;

    private final SplittableRandom random;

    public SyntheticRegistry(int size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
        efsDay = new int[size];
        efsStatus = new int[size];
        osDay = new int[size];
        osStatus = new int[size];
        factor = new int[FACTORS][size];
        for (int i = 0; i < size; i++) {
            for (int f = 0; f < FACTORS; f++) {
                factor[f][i] = random.nextDouble() < 0.3 + 0.05 * f ? 1 : 0;
            }
            redraw(i);
        }
    }

    /** New follow-up for episode i (what a record change looks like): exponential times, uniform censoring. */
    public void redraw(int i) {
        double rate = 1.0 / 900 * (factor[0][i] == 1 ? 2.0 : 1.0) * (factor[1][i] == 1 ? 1.4 : 1.0);
        double efs = -Math.log(1 - random.nextDouble()) / rate;
        double death = efs - Math.log(1 - random.nextDouble()) * 700;
        double censor = random.nextDouble() * MAX_DAY;
        efsDay[i] = (int) Math.min(efs, censor);
        efsStatus[i] = efs <= censor ? 1 : 0;
        osDay[i] = (int) Math.min(death, censor);
        osStatus[i] = death <= censor ? 1 : 0;
    }

    /** CSV for the R timing script: id, f1..f8, efs_days, efs_status, os_days, os_status. */
    public void writeCsv(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder("id");
            for (int f = 0; f < FACTORS; f++) {
                line.append(",f").append(f + 1);
            }
            w.write(line.append(",efs_days,efs_status,os_days,os_status\n").toString());
            for (int i = 0; i < size; i++) {
                line.setLength(0);
                line.append(i);
                for (int f = 0; f < FACTORS; f++) {
                    line.append(',').append(factor[f][i]);
                }
                line.append(',').append(efsDay[i]).append(',').append(efsStatus[i]).append(',').append(osDay[i])
                        .append(',').append(osStatus[i]).append('\n');
                w.write(line.toString());
            }
        }
    }
}
