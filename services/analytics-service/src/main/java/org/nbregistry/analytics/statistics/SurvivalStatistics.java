package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.CoxData;
import org.nbregistry.analytics.survival.CoxDesign;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.CoxOptions;
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
        return fromRecords(records, key, null);
    }

    /** As {@link #fromRecords(List, AnalysisKey)}, from a landmark day (null for none): see {@link Scope#landmark()}. */
    public static SurvivalStatistics fromRecords(List<AnalysisRecord> records, AnalysisKey key, Integer landmark) {
        Rows rows = Rows.of(records, key, landmark);
        return of(Tabulation.groupedCounts(rows.levels, rows.group, rows.day, rows.status), null);
    }

    /**
     * The same analysis with the Cox model fitted per record with a robust (sandwich) variance clustered by patient
     * (R: coxph(Surv(t, s) ~ g, cluster = patient)): episodes of one patient are not independent. Hazard ratios are
     * those of the model-based fit; their intervals and Wald p use the robust standard error.
     */
    public static SurvivalStatistics clusteredByPatient(List<AnalysisRecord> records, AnalysisKey key, Integer landmark) {
        Rows rows = Rows.of(records, key, landmark);
        SurvivalStatistics plain = of(Tabulation.groupedCounts(rows.levels, rows.group, rows.day, rows.status), null);
        if (plain.cox() == null) {
            return plain;
        }
        List<String> used = List.of(plain.counts().groups());
        int n = 0;
        for (int g : rows.group) {
            n += g >= 0 ? 1 : 0;
        }
        int[] day = new int[n];
        int[] status = new int[n];
        String[] level = new String[n];
        String[] patient = new String[n];
        for (int i = 0, k = 0; i < rows.group.length; i++) {
            if (rows.group[i] >= 0) {
                day[k] = rows.day[i];
                status[k] = rows.status[i];
                level[k] = rows.levels[rows.group[i]];
                patient[k] = rows.patient[i];
                k++;
            }
        }
        // Named by level alone, as the categorical fit names its terms.
        CoxDesign design = CoxDesign.builder(n).factor("", level, used).build();
        CoxFit robust = Cox.fit(CoxData.of(day, status, design).withCluster(patient),
                CoxOptions.defaults().withZph(false));
        return new SurvivalStatistics(plain.counts(), plain.overall(), plain.curves(), plain.logRank(), robust);
    }

    /** One entry per record: its group (-1 when left out), time and status for the analysis, and its patient. */
    private record Rows(String[] levels, int[] group, int[] day, int[] status, String[] patient) {

        static Rows of(List<AnalysisRecord> records, AnalysisKey key, Integer landmark) {
            TreeSet<String> present = new TreeSet<>();
            for (AnalysisRecord r : records) {
                String level = LiveStatistics.levelOf(r, key);
                if (level != null && kept(r, key, landmark)) {
                    present.add(level);
                }
            }
            String[] levels = present.toArray(String[]::new);
            List<String> order = List.of(levels);
            int n = records.size();
            int[] group = new int[n];
            int[] day = new int[n];
            int[] status = new int[n];
            String[] patient = new String[n];
            int shift = landmark == null ? 0 : landmark;
            for (int i = 0; i < n; i++) {
                AnalysisRecord r = records.get(i);
                String level = LiveStatistics.levelOf(r, key);
                group[i] = level == null || !kept(r, key, landmark) ? -1 : order.indexOf(level);
                day[i] = Math.max(0, r.days(key.endpoint()) - shift);
                status[i] = r.event(key.endpoint()) ? 1 : 0;
                patient[i] = r.patientPseudonym();
            }
            return new Rows(levels, group, day, status, patient);
        }

        /** At a landmark, only episodes whose event or censoring comes after it. */
        private static boolean kept(AnalysisRecord r, AnalysisKey key, Integer landmark) {
            return landmark == null || r.days(key.endpoint()) > landmark;
        }
    }
}
