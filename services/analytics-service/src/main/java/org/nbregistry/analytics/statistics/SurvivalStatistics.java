package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.survival.AnalysisResult;
import org.nbregistry.analytics.survival.Concordance;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.CoxData;
import org.nbregistry.analytics.survival.CoxDesign;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.CoxOptions;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.IncrementalAnalysis;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRank;
import org.nbregistry.analytics.survival.LogRankTest;
import org.nbregistry.analytics.survival.StratifiedCounts;
import org.nbregistry.analytics.survival.Tabulation;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The statistics of one analysis: one Kaplan–Meier curve per group level (reference first; an ungrouped analysis has the
 * one level {@link AnalysisKey#ALL}), and with two or more levels the log-rank test and the categorical Cox model
 * (Efron ties, R's default). Confidence bands, times and medians depend on the request and are derived from the curves
 * when asked.
 *
 * <p>Two paths make them, with the same numbers: the live statistics keep one {@link IncrementalAnalysis} per analysis
 * and take its refreshed {@link AnalysisResult} ({@link #of(AnalysisResult)}); answers for a cohort filter, a cut-off or
 * a landmark tabulate the records from scratch ({@link #fromRecords}).
 *
 * @param logRank null with fewer than two groups
 * @param cox     null with fewer than two groups
 * @param clusteredConcordance the Cox model's concordance with its SE clustered by patient, when {@code cox} is
 *                             clustered; null otherwise (see {@link #concordance()})
 */
public record SurvivalStatistics(List<String> groups, List<KaplanMeierCurve> curves, LogRankTest logRank, CoxFit cox,
                                 Concordance clusteredConcordance) {

    private static final KaplanMeierCurve NO_RECORDS = KaplanMeier.fromCounts(new int[0], new int[0], new int[0]);

    public SurvivalStatistics {
        groups = List.copyOf(groups);
        curves = List.copyOf(curves);
    }

    /** An incremental analysis' refreshed result. */
    public static SurvivalStatistics of(AnalysisResult result) {
        return new SurvivalStatistics(result.groups(), result.curves(), result.logRank(), result.cox(), null);
    }

    /** Episodes in the analysis: those with a level of its factor. */
    public int n() {
        return curves.stream().mapToInt(KaplanMeierCurve::n).sum();
    }

    /** The curve of an ungrouped analysis (R: survfit(Surv(time, status) ~ 1)); with no records, an empty one. */
    public KaplanMeierCurve overall() {
        if (curves.size() > 1) {
            throw new IllegalStateException("a grouped analysis has one curve per level: " + groups);
        }
        return curves.isEmpty() ? NO_RECORDS : curves.get(0);
    }

    /**
     * The day counts behind the curves (R's data for survdiff and a one-factor coxph): per level, events and censorings
     * on every day anything happened in any level. O(days × levels).
     */
    public GroupedCounts counts() {
        TreeSet<Integer> days = new TreeSet<>();
        for (KaplanMeierCurve c : curves) {
            for (int i = 0; i < c.size(); i++) {
                days.add((int) c.time().get(i));
            }
        }
        int[] dayArray = days.stream().mapToInt(Integer::intValue).toArray();
        int[][] events = new int[curves.size()][dayArray.length];
        int[][] censored = new int[curves.size()][dayArray.length];
        for (int g = 0; g < curves.size(); g++) {
            KaplanMeierCurve c = curves.get(g);
            for (int i = 0, k = 0; i < c.size(); i++) {
                int day = (int) c.time().get(i);
                while (dayArray[k] != day) {
                    k++;
                }
                events[g][k] = c.nEvent().get(i);
                censored[g][k] = c.nCensor().get(i);
            }
        }
        return new GroupedCounts(groups.toArray(String[]::new), dayArray, events, censored);
    }

    /**
     * The analysis' day counts split by the levels of another factor (R: survdiff(Surv ~ group + strata(s))): records
     * without a level of either factor are left out, as R's na.omit.
     */
    public static StratifiedCounts stratifiedCounts(List<AnalysisRecord> records, AnalysisKey key, String strataBy, Integer landmark) {
        Rows rows = Rows.of(records, key, landmark);
        TreeMap<String, Integer> strata = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            String s = records.get(i).level(strataBy);
            if (s != null && rows.group[i] >= 0) {
                strata.put(s, 0);
            }
        }
        List<String> names = new ArrayList<>(strata.keySet());
        for (int k = 0; k < names.size(); k++) {
            strata.put(names.get(k), k);
        }
        int[] stratum = new int[records.size()];
        for (int i = 0; i < stratum.length; i++) {
            String s = records.get(i).level(strataBy);
            stratum[i] = s == null ? -1 : strata.get(s) == null ? -1 : strata.get(s);
        }
        return Tabulation.stratifiedCounts(rows.levels, rows.group, names.toArray(String[]::new), stratum, rows.day, rows.status);
    }

    /**
     * The Cox model with its cox.zph test (the live analyses keep theirs without it): this one when it has it, else
     * refitted from the day counts, started from its estimate. Null with fewer than two groups.
     */
    public CoxFit coxWithZph() {
        if (cox == null || cox.zph() != null) {
            return cox;
        }
        return Cox.fitCategorical(List.of(counts()), cox.ties(), cox.warmStart(), true);
    }

    /** The Cox model's concordance (R's fit$concordance), clustered by patient when the model is. Null without a model. */
    public Concordance concordance() {
        if (clusteredConcordance != null || cox == null) {
            return clusteredConcordance;
        }
        return Concordance.ofLevels(counts(), cox.warmStart());
    }

    private static SurvivalStatistics fromCounts(GroupedCounts counts) {
        List<KaplanMeierCurve> curves = List.of(KaplanMeier.byGroup(counts));
        List<String> groups = List.of(counts.groups());
        if (counts.groupCount() < 2) {
            return new SurvivalStatistics(groups, curves, null, null, null);
        }
        return new SurvivalStatistics(groups, curves, LogRank.logRank(counts), Cox.fitCategorical(counts, Cox.Ties.EFRON, null), null);
    }

    /** The from-scratch path: tabulates the records directly (those without a level of the factor are left out). */
    public static SurvivalStatistics fromRecords(List<AnalysisRecord> records, AnalysisKey key) {
        return fromRecords(records, key, null);
    }

    /** As {@link #fromRecords(List, AnalysisKey)}, from a landmark day (null for none): see {@link Scope#landmark()}. */
    public static SurvivalStatistics fromRecords(List<AnalysisRecord> records, AnalysisKey key, Integer landmark) {
        Rows rows = Rows.of(records, key, landmark);
        return fromCounts(Tabulation.groupedCounts(rows.levels, rows.group, rows.day, rows.status));
    }

    /**
     * The same analysis with the Cox model fitted per record with a robust (sandwich) variance clustered by patient
     * (R: coxph(Surv(t, s) ~ g, cluster = patient)): episodes of one patient are not independent. Hazard ratios are
     * those of the model-based fit; their intervals and Wald p use the robust standard error.
     */
    public static SurvivalStatistics clusteredByPatient(List<AnalysisRecord> records, AnalysisKey key, Integer landmark) {
        Rows rows = Rows.of(records, key, landmark);
        SurvivalStatistics plain = fromCounts(Tabulation.groupedCounts(rows.levels, rows.group, rows.day, rows.status));
        if (plain.cox() == null) {
            return plain;
        }
        List<String> used = plain.groups();
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
        CoxData data = CoxData.of(day, status, design).withCluster(patient);
        CoxFit robust = Cox.fit(data, CoxOptions.defaults());
        return new SurvivalStatistics(plain.groups(), plain.curves(), plain.logRank(), robust, Concordance.ofFit(data, robust));
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
