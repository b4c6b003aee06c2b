package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.survival.CompetingRisks;
import org.nbregistry.analytics.survival.CompetingRisksCounts;
import org.nbregistry.analytics.survival.CompetingRisksFit;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.GrayTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What ended an episode's event-free survival, as competing risks: the Aalen–Johansen cumulative incidence of each
 * cause (R: survfit(Surv(t, factor(cause)) ~ 1)) for the cohort and per level of a factor, and Gray's test across the
 * levels for each cause (cmprsk::cuminc). The time is EFS in days from the episode date.
 *
 * @param levels  the factor's levels with episodes, reference first; empty without a grouping
 * @param overall the cohort's curves
 * @param groups  one fit per level, in level order
 * @param gray    one test per cause, in {@link Cause} order; empty with fewer than two levels
 */
public record CompetingRisksStatistics(List<String> levels, CompetingRisksFit overall, List<CompetingRisksFit> groups,
                                       List<GrayTest> gray) {

    /** The causes that end EFS, with the status code each has in the engine. */
    public enum Cause {
        /** The next episode of the patient: a relapse or progression. */
        PROGRESSION(1, "next_episode"),
        /** Death before any progression. */
        DEATH_WITHOUT_PROGRESSION(2, "death"),
        /** A second malignancy before any progression or death. */
        SECOND_MALIGNANCY(3, "second_malignancy");

        private final int code;
        private final String efsEnd;

        Cause(int code, String efsEnd) {
            this.code = code;
            this.efsEnd = efsEnd;
        }

        public int code() {
            return code;
        }

        static int codeOf(AnalysisRecord record) {
            for (Cause c : values()) {
                if (c.efsEnd.equals(record.efsEnd())) {
                    return c.code;
                }
            }
            return 0;
        }
    }

    /**
     * @param factor null for the cohort alone; otherwise episodes without a level of it are left out of the groups
     */
    public static CompetingRisksStatistics fromRecords(List<AnalysisRecord> records, String factor, ConfType confType,
                                                       double confLevel) {
        CompetingRisksCounts all = counts(records, r -> "all", List.of("all"));
        CompetingRisksFit overall = CompetingRisks.aalenJohansen(all, 0, confType, confLevel);
        if (factor == null) {
            return new CompetingRisksStatistics(List.of(), overall, List.of(), List.of());
        }
        TreeSet<String> present = new TreeSet<>();
        records.forEach(r -> {
            if (r.level(factor) != null) {
                present.add(r.level(factor));
            }
        });
        List<String> levels = List.copyOf(present);
        List<AnalysisRecord> grouped = records.stream().filter(r -> r.level(factor) != null).toList();
        CompetingRisksCounts counts = counts(grouped, r -> r.level(factor), levels);
        List<CompetingRisksFit> fits = new ArrayList<>();
        for (int g = 0; g < levels.size(); g++) {
            fits.add(CompetingRisks.aalenJohansen(counts, g, confType, confLevel));
        }
        List<GrayTest> gray = levels.size() < 2 ? List.of()
                : Arrays.stream(Cause.values()).map(c -> GrayTest.compute(counts, c.code())).toList();
        return new CompetingRisksStatistics(levels, overall, List.copyOf(fits), gray);
    }

    /** Every cause is present (with no events if none occurred), so each has a curve and a test. */
    private static CompetingRisksCounts counts(List<AnalysisRecord> records, Function<AnalysisRecord, String> level,
                                               List<String> levels) {
        int[] days = records.stream().mapToInt(r -> r.days(Endpoint.EFS)).distinct().sorted().toArray();
        int[] causes = Arrays.stream(Cause.values()).mapToInt(Cause::code).toArray();
        int[][][] events = new int[causes.length][levels.size()][days.length];
        int[][] censored = new int[levels.size()][days.length];
        for (AnalysisRecord r : records) {
            int g = levels.indexOf(level.apply(r));
            int i = Arrays.binarySearch(days, r.days(Endpoint.EFS));
            int cause = Cause.codeOf(r);
            if (cause == 0) {
                censored[g][i]++;
            } else {
                events[cause - 1][g][i]++;
            }
        }
        double[] times = Arrays.stream(days).asDoubleStream().toArray();
        return new CompetingRisksCounts(levels.toArray(String[]::new), causes, times, events, censored);
    }
}
