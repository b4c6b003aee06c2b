package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRank;
import org.nbregistry.analytics.survival.LogRankTest;
import org.nbregistry.analytics.survival.Tabulation;

import java.util.List;
import java.util.TreeSet;

/**
 * What one analysis refresh computes from the day counts: the pooled curve, one curve per group, and with two or
 * more groups the log-rank test and the categorical Cox model (Efron ties, R's default). Confidence bands, times
 * and medians depend on the request and are derived from the curves when asked.
 *
 * @param logRank null with fewer than two groups
 * @param cox     null with fewer than two groups
 */
public record SurvivalStatistics(GroupedCounts counts, KaplanMeierCurve overall, List<KaplanMeierCurve> curves,
                                 LogRankTest logRank, CoxFit cox) {

    /** @param previous the last result of the same analysis, whose coefficients warm-start the Cox fit; or null */
    public static SurvivalStatistics of(GroupedCounts counts, SurvivalStatistics previous) {
        List<KaplanMeierCurve> curves = List.of(KaplanMeier.byGroup(counts));
        if (counts.groupCount() < 2) {
            return new SurvivalStatistics(counts, KaplanMeier.overall(counts), curves, null, null);
        }
        // Warm start only from a fit with the same levels and every term estimated: started from a diverging
        // coefficient's last iterate, the engine can report the term as aliased where a cold fit says diverging.
        double[] start = previous != null && previous.cox() != null
                && previous.cox().terms().stream().allMatch(t -> t.status() == CoxFit.TermStatus.ESTIMATED)
                && List.of(previous.counts().groups()).equals(List.of(counts.groups())) ? previous.cox().warmStart() : null;
        return new SurvivalStatistics(counts, KaplanMeier.overall(counts), curves, LogRank.logRank(counts),
                Cox.fitCategorical(counts, Cox.Ties.EFRON, start));
    }

    /** The from-scratch path: tabulates the records directly (those without a level of the factor are left out). */
    public static SurvivalStatistics fromRecords(List<AnalysisRecord> records, AnalysisKey key) {
        TreeSet<String> present = new TreeSet<>();
        for (AnalysisRecord r : records) {
            String level = LiveStatistics.levelOf(r, key);
            if (level != null) {
                present.add(level);
            }
        }
        String[] levels = present.toArray(String[]::new);
        List<String> order = List.of(levels);
        int n = records.size();
        int[] group = new int[n];
        int[] day = new int[n];
        int[] status = new int[n];
        for (int i = 0; i < n; i++) {
            AnalysisRecord r = records.get(i);
            String level = LiveStatistics.levelOf(r, key);
            group[i] = level == null ? -1 : order.indexOf(level);
            day[i] = r.days(key.endpoint());
            status[i] = r.event(key.endpoint()) ? 1 : 0;
        }
        return of(Tabulation.groupedCounts(levels, group, day, status), null);
    }
}
