package org.nbregistry.analytics.survival.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded registry-shaped episodes for the benchmarks: EFS and OS in whole days (up to 15 years of
 * follow-up) and the groupings analytics-service keeps live (its {@code Factors}): 17 two-level factors
 * (episode type and order, response, MYCN, lymph nodes, irinotecan/topotecan, eight treatment
 * categories, trial, biopsy, profiling), two of which carry real effects so tests and Cox have signal,
 * then site (6 levels) and period (12 years).
 */
public final class SyntheticRegistry {

    public static final int TWO_LEVEL_FACTORS = 17;
    public static final int FACTORS = TWO_LEVEL_FACTORS + 2;
    public static final int MAX_DAY = 5475;
    private static final String[] TWO_LEVELS = {"0", "1"};
    private static final String[] SITES = {"S01", "S02", "S03", "S04", "S05", "S06"};
    private static final String[] YEARS = {"2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024",
            "2025"};

    public final int size;
    public final int[] efsDay;
    public final int[] efsStatus;
    public final int[] osDay;
    public final int[] osStatus;
    /** factor[f][i]: index into {@link #levels(int) levels(f)}. */
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
            for (int f = 0; f < TWO_LEVEL_FACTORS; f++) {
                factor[f][i] = random.nextDouble() < 0.2 + 0.03 * f ? 1 : 0;
            }
            factor[TWO_LEVEL_FACTORS][i] = random.nextInt(SITES.length);
            factor[TWO_LEVEL_FACTORS + 1][i] = random.nextInt(YEARS.length);
            redraw(i);
        }
    }

    /** The level labels of factor f, in R's (C locale) order. */
    public static String[] levels(int f) {
        return f < TWO_LEVEL_FACTORS ? TWO_LEVELS : f == TWO_LEVEL_FACTORS ? SITES : YEARS;
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

    /** CSV for the R timing script: id, f1..f19 (level indices), efs_days, efs_status, os_days, os_status. */
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
