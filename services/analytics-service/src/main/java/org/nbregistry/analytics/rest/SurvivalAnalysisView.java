package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.AnalystQueries.SurvivalAnswer;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.ConfidenceBand;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRankTest;
import org.nbregistry.analytics.survival.MedianEstimate;
import org.nbregistry.analytics.survival.SurvivalAt;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A survival analysis as analysts read it: the cohort's Kaplan–Meier table and, when grouped, one per level and
 * the log-rank test. Figures R reports as NA are null; a group below the disclosure threshold carries no numbers, nor
 * does the next smallest group when the first is the only one withheld (else subtraction from the cohort would give it).
 */
@Schema(name = "SurvivalAnalysis")
public record SurvivalAnalysisView(String endpoint, String groupBy, CohortView cohort,
                                   @Schema(description = "Data cut-off applied (clinical dates on or before it), null for none")
                                   LocalDate asOf,
                                   @Schema(description = "Landmark day applied: episodes still event-free and followed after it, "
                                           + "days counted from it; null for none")
                                   Integer landmark,
                                   long datasetVersion, Instant reflectsChangesUpTo, String confType, double confLevel,
                                   List<Integer> times, int minGroupSize, GroupSurvival overall, List<GroupSurvival> groups,
                                   @Schema(description = "Episodes left out of the grouping because their level is unknown; null "
                                           + "when withheld (see excludedSuppressionReason)")
                                   Integer excluded,
                                   @Schema(description = "Why excluded is withheld: with it and the cohort's n a single suppressed "
                                           + "group's size could be worked out; null when shown")
                                   String excludedSuppressionReason, GroupComparison comparison) {

    @Schema(name = "GroupSurvival")
    public record GroupSurvival(String level, boolean suppressed, String suppressionReason, Integer n, Integer events,
                                MedianSurvival median, List<SurvivalEstimate> estimates, List<CurveRow> table) {
    }

    /** Median survival in days and its CI where the band crosses 0.5 (null when it never does). */
    @Schema(name = "MedianSurvival")
    public record MedianSurvival(Double days, Double lower, Double upper) {
    }

    /** Survival at a requested day; not estimable (numbers null) beyond the group's last follow-up. */
    @Schema(name = "SurvivalEstimate")
    public record SurvivalEstimate(int day, boolean estimable, int atRisk, int eventsSoFar, Double survival, Double stdErr,
                                   Double lower, Double upper) {
    }

    /** One distinct day of the Kaplan–Meier table; stdErr is the Greenwood SE of S. */
    @Schema(name = "CurveRow")
    public record CurveRow(int day, int atRisk, int events, int censored, double survival, Double stdErr, Double lower, Double upper) {
    }

    @Schema(name = "GroupComparison")
    public record GroupComparison(String test, boolean suppressed, String suppressionReason, Double chiSquare, Integer df, Double p) {
    }

    static SurvivalAnalysisView of(String endpoint, String groupBy, CohortView cohort, Scope scope, SurvivalAnswer answer,
                                   ConfType type, double level, double[] times, int minGroupSize) {
        KaplanMeierCurve all = answer.overall().overall();
        GroupSurvival overall = group("all", all, type, level, times, all.n() < minGroupSize ? Disclosure.smallGroup(minGroupSize) : null);
        List<GroupSurvival> groups = List.of();
        Integer excluded = null;
        String excludedReason = null;
        GroupComparison comparison = null;
        SurvivalStatistics grouped = answer.grouped();
        if (grouped != null) {
            List<String> levels = grouped.groups();
            String[] reasons = Disclosure.groups(grouped.curves().stream().mapToInt(KaplanMeierCurve::n).toArray(), minGroupSize);
            List<GroupSurvival> perLevel = new ArrayList<>();
            for (int g = 0; g < levels.size(); g++) {
                perLevel.add(group(levels.get(g), grouped.curves().get(g), type, level, times, reasons[g]));
            }
            groups = List.copyOf(perLevel);
            excluded = all.n() - grouped.n();
            if (!overall.suppressed() && groups.stream().filter(GroupSurvival::suppressed).count() == 1) {
                // The only group shown nowhere else: the cohort's n less the excluded would be its size.
                excluded = null;
                excludedReason = EXCLUDED_WITHHELD;
            }
            comparison = comparison(grouped.logRank(), groups, minGroupSize);
        }
        return new SurvivalAnalysisView(endpoint, groupBy, cohort, scope.asOf(), scope.landmark(), answer.datasetVersion(),
                answer.reflectsChangesUpTo(), type.rName(), level, Arrays.stream(times).mapToObj(t -> (int) t).toList(), minGroupSize,
                overall, groups, excluded, excludedReason, comparison);
    }

    static final String EXCLUDED_WITHHELD = "withheld so that the size of the only, suppressed group cannot be worked out from "
            + "the cohort's n (disclosure control)";

    /** @param reason why the group is withheld, null when it is shown */
    private static GroupSurvival group(String level, KaplanMeierCurve curve, ConfType type, double confLevel, double[] times,
                                       String reason) {
        if (reason != null) {
            return new GroupSurvival(level, true, reason, null, null, null, List.of(), List.of());
        }
        ConfidenceBand band = curve.band(type, confLevel);
        List<CurveRow> rows = new ArrayList<>(curve.size());
        for (int i = 0; i < curve.size(); i++) {
            rows.add(new CurveRow((int) curve.time().get(i), curve.nRisk().get(i), curve.nEvent().get(i), curve.nCensor().get(i),
                    curve.surv().get(i), finite(curve.stdErrSurv(i)), finite(band.lower().get(i)), finite(band.upper().get(i))));
        }
        List<SurvivalEstimate> estimates = new ArrayList<>();
        if (curve.size() > 0) {
            for (SurvivalAt at : curve.survivalAt(times, type, confLevel)) {
                estimates.add(new SurvivalEstimate((int) at.time(), at.estimable(), at.nRisk(), at.nEventCum(),
                        at.estimable() ? finite(at.surv()) : null, at.estimable() ? finite(at.stdErrSurv()) : null,
                        at.estimable() ? finite(at.lower()) : null, at.estimable() ? finite(at.upper()) : null));
            }
        }
        MedianSurvival median = null;
        if (curve.size() > 0) {
            MedianEstimate m = curve.median(type, confLevel);
            median = new MedianSurvival(finite(m.median()), finite(m.lower()), finite(m.upper()));
        }
        return new GroupSurvival(level, false, null, curve.n(), curve.totalEvents(), median, List.copyOf(estimates), List.copyOf(rows));
    }

    /** No comparison (null) with fewer than two groups. A comparison is only shown when every group in it is shown: a test on a hidden group would describe it. */
    private static GroupComparison comparison(LogRankTest test, List<GroupSurvival> groups, int minGroupSize) {
        if (test == null) {
            return null;
        }
        if (groups.stream().anyMatch(GroupSurvival::suppressed)) {
            return new GroupComparison("log-rank", true, "a group has fewer than " + minGroupSize + " episodes (disclosure control)",
                    null, null, null);
        }
        return new GroupComparison("log-rank", false, null, finite(test.chisq()), test.df(), finite(test.p()));
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
