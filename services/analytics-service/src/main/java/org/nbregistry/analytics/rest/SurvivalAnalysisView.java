package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.AnalystQueries.SurvivalAnswer;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.Concordance;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.ConfidenceBand;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRank;
import org.nbregistry.analytics.survival.LogRankTest;
import org.nbregistry.analytics.survival.MedianEstimate;
import org.nbregistry.analytics.survival.PairwiseComparison;
import org.nbregistry.analytics.survival.QuantileEstimates;
import org.nbregistry.analytics.survival.Rmst;
import org.nbregistry.analytics.survival.RmstDifference;
import org.nbregistry.analytics.survival.StratifiedCounts;
import org.nbregistry.analytics.survival.SurvivalAt;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
                                   String excludedSuppressionReason, GroupComparison comparison,
                                   @Schema(description = "Probabilities of the survival-time quantiles reported per group")
                                   List<Double> probs,
                                   @Schema(description = "RMST horizon in days, null when not asked") Integer tau,
                                   @Schema(description = "rho of the G-rho test in tests.gRho (0 log-rank, 1 Peto–Peto)") double rho,
                                   @Schema(description = "Factor the stratified test is stratified by, null for none") String strataBy,
                                   @Schema(description = "Every comparison of the groups; null without a grouping") GroupTests tests) {

    @Schema(name = "GroupSurvival")
    public record GroupSurvival(String level, boolean suppressed, String suppressionReason, Integer n, Integer events,
                                MedianSurvival median, List<SurvivalEstimate> estimates, List<CurveRow> table,
                                @Schema(description = "Median follow-up: the median of the reverse Kaplan–Meier curve (censoring as "
                                        + "the event) with its CI; R: survfit(Surv(time, 1 - status) ~ 1)")
                                MedianSurvival medianFollowUp,
                                @Schema(description = "Survival-time quantiles at the requested probabilities; R: quantile(fit, probs)")
                                List<Quantile> quantiles,
                                @Schema(description = "Restricted mean survival time up to tau; null unless tau is given")
                                RestrictedMean rmst) {
    }

    /** The time by which a fraction {@code probability} has had the event, and where the CI band reaches it. */
    @Schema(name = "SurvivalQuantile")
    public record Quantile(double probability, Double days, Double lower, Double upper) {
    }

    /** R: summary(fit, rmean = tau)$table[c("rmean", "se(rmean)")]. */
    @Schema(name = "RestrictedMean")
    public record RestrictedMean(int tau, Double mean, Double stdErr) {
    }

    /**
     * Every comparison of the groups, withheld as a whole (numbers null) when a group is withheld.
     *
     * @param gRho       the G-rho test at the requested rho (R: survdiff(Surv ~ g, rho))
     * @param trend      score test for trend over the ordered levels, with three levels or more
     * @param stratified the G-rho test stratified by strataBy (R: survdiff(Surv ~ g + strata(s), rho)), null without strata
     * @param pairwise   each pair of levels on its own, with Holm and Bonferroni adjusted p, with three levels or more
     */
    @Schema(name = "GroupTests")
    public record GroupTests(boolean suppressed, String suppressionReason, GRhoTest gRho, TrendTest trend,
                             StratifiedTest stratified, List<PairwiseTest> pairwise, List<RmstDifferenceView> rmstDifferences,
                             UnivariateCox cox) {
    }

    @Schema(name = "GRhoTest")
    public record GRhoTest(double rho, String test, Double chiSquare, Integer df, Double p, List<LevelEvents> levels) {
    }

    /** Observed and expected (weighted) events of a level, R's survdiff obs and exp. */
    @Schema(name = "LevelEvents")
    public record LevelEvents(String level, int n, Double observed, Double expected) {
    }

    @Schema(name = "TrendTest")
    public record TrendTest(List<Double> scores, Double chiSquare, Integer df, Double p) {
    }

    @Schema(name = "StratifiedTest")
    public record StratifiedTest(String strataBy, List<String> strata, double rho, Double chiSquare, Integer df, Double p) {
    }

    @Schema(name = "PairwiseTest")
    public record PairwiseTest(String first, String second, Double chiSquare, Double p, Double pHolm, Double pBonferroni) {
    }

    /** A level's RMST less the reference level's, SE sqrt(se1² + se0²), two-sided normal p. */
    @Schema(name = "RmstDifference")
    public record RmstDifferenceView(String level, String reference, int tau, Double difference, Double stdErr, Double p) {
    }

    /** R: coxph(Surv(time, status) ~ g) (Efron ties): summary, fit$concordance and cox.zph(fit). */
    @Schema(name = "UnivariateCox")
    public record UnivariateCox(String ties, List<CoxModelView.Coefficient> coefficients, CoxModelView.Tests tests,
                                CoxModelView.ConcordanceView concordance,
                                List<CoxModelView.ProportionalHazards> proportionalHazards) {
    }

    /** What the request asks beyond the curves: quantile probabilities, RMST horizon (or null), G-rho's rho, stratified counts. */
    record Options(double[] probs, Integer tau, double rho, String strataBy, StratifiedCounts byStratum) {
        static final Options DEFAULTS = new Options(new double[] {0.25, 0.5, 0.75}, null, 0, null, null);
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
    public record CurveRow(int day, int atRisk, int events, int censored, double survival, Double stdErr, Double lower, Double upper,
                           @Schema(description = "Nelson–Aalen cumulative hazard (R's fit$cumhaz)") Double cumulativeHazard,
                           @Schema(description = "Its standard error (R's fit$std.chaz)") Double cumulativeHazardStdErr) {
    }

    @Schema(name = "GroupComparison")
    public record GroupComparison(String test, boolean suppressed, String suppressionReason, Double chiSquare, Integer df, Double p) {
    }

    static SurvivalAnalysisView of(String endpoint, String groupBy, CohortView cohort, Scope scope, SurvivalAnswer answer,
                                   ConfType type, double level, double[] times, int minGroupSize) {
        return of(endpoint, groupBy, cohort, scope, answer, type, level, times, minGroupSize, Options.DEFAULTS);
    }

    static SurvivalAnalysisView of(String endpoint, String groupBy, CohortView cohort, Scope scope, SurvivalAnswer answer,
                                   ConfType type, double level, double[] times, int minGroupSize, Options options) {
        KaplanMeierCurve all = answer.overall().overall();
        GroupSurvival overall = group("all", all, type, level, times, all.n() < minGroupSize ? Disclosure.smallGroup(minGroupSize) : null,
                options);
        List<GroupSurvival> groups = List.of();
        Integer excluded = null;
        String excludedReason = null;
        GroupComparison comparison = null;
        GroupTests tests = null;
        SurvivalStatistics grouped = answer.grouped();
        if (grouped != null) {
            List<String> levels = grouped.groups();
            String[] reasons = Disclosure.groups(grouped.curves().stream().mapToInt(KaplanMeierCurve::n).toArray(), minGroupSize);
            List<GroupSurvival> perLevel = new ArrayList<>();
            for (int g = 0; g < levels.size(); g++) {
                perLevel.add(group(levels.get(g), grouped.curves().get(g), type, level, times, reasons[g], options));
            }
            groups = List.copyOf(perLevel);
            excluded = all.n() - grouped.n();
            if (!overall.suppressed() && groups.stream().filter(GroupSurvival::suppressed).count() == 1) {
                // The only group shown nowhere else: the cohort's n less the excluded would be its size.
                excluded = null;
                excludedReason = EXCLUDED_WITHHELD;
            }
            comparison = comparison(grouped.logRank(), groups, minGroupSize);
            tests = tests(groupBy, grouped, groups, options, level, minGroupSize);
        }
        return new SurvivalAnalysisView(endpoint, groupBy, cohort, scope.asOf(), scope.landmark(), answer.datasetVersion(),
                answer.reflectsChangesUpTo(), type.rName(), level, Arrays.stream(times).mapToObj(t -> (int) t).toList(), minGroupSize,
                overall, groups, excluded, excludedReason, comparison, Arrays.stream(options.probs()).boxed().toList(), options.tau(),
                options.rho(), options.strataBy(), tests);
    }

    static final String EXCLUDED_WITHHELD = "withheld so that the size of the only, suppressed group cannot be worked out from "
            + "the cohort's n (disclosure control)";

    /** @param reason why the group is withheld, null when it is shown */
    private static GroupSurvival group(String level, KaplanMeierCurve curve, ConfType type, double confLevel, double[] times,
                                       String reason, Options options) {
        if (reason != null) {
            return new GroupSurvival(level, true, reason, null, null, null, List.of(), List.of(), null, List.of(), null);
        }
        ConfidenceBand band = curve.band(type, confLevel);
        List<CurveRow> rows = new ArrayList<>(curve.size());
        for (int i = 0; i < curve.size(); i++) {
            rows.add(new CurveRow((int) curve.time().get(i), curve.nRisk().get(i), curve.nEvent().get(i), curve.nCensor().get(i),
                    curve.surv().get(i), finite(curve.stdErrSurv(i)), finite(band.lower().get(i)), finite(band.upper().get(i)),
                    finite(curve.cumHaz().get(i)), finite(curve.stdCumHaz().get(i))));
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
        MedianSurvival followUp = null;
        List<Quantile> quantiles = new ArrayList<>();
        RestrictedMean rmst = null;
        if (curve.size() > 0) {
            median = median(curve.median(type, confLevel));
            followUp = median(reverse(curve).median(type, confLevel));
            QuantileEstimates q = curve.quantiles(options.probs(), type, confLevel);
            for (int i = 0; i < options.probs().length; i++) {
                quantiles.add(new Quantile(options.probs()[i], finite(q.time().get(i)), finite(q.lower().get(i)), finite(q.upper().get(i))));
            }
            if (options.tau() != null) {
                Rmst r = curve.rmst(options.tau());
                rmst = new RestrictedMean(options.tau(), finite(r.mean()), finite(r.se()));
            }
        }
        return new GroupSurvival(level, false, null, curve.n(), curve.totalEvents(), median, List.copyOf(estimates), List.copyOf(rows),
                followUp, List.copyOf(quantiles), rmst);
    }

    private static MedianSurvival median(MedianEstimate m) {
        return new MedianSurvival(finite(m.median()), finite(m.lower()), finite(m.upper()));
    }

    /** The reverse Kaplan–Meier curve (censoring as the event; at a tied day the censorings come first, as R's 1 - status). */
    static KaplanMeierCurve reverse(KaplanMeierCurve curve) {
        int[] days = new int[curve.size()];
        int[] events = new int[curve.size()];
        int[] censored = new int[curve.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = (int) curve.time().get(i);
            events[i] = curve.nCensor().get(i);
            censored[i] = curve.nEvent().get(i);
        }
        return KaplanMeier.fromCounts(days, events, censored);
    }

    /** Every comparison of the groups; numbers withheld when a group is (a test on a hidden group would describe it). */
    private static GroupTests tests(String groupBy, SurvivalStatistics grouped, List<GroupSurvival> groups, Options options, double confLevel,
                                    int minGroupSize) {
        if (grouped.groups().size() < 2) {
            return null;
        }
        if (groups.stream().anyMatch(GroupSurvival::suppressed)) {
            return new GroupTests(true, "a group has fewer than " + minGroupSize + " episodes (disclosure control)", null, null, null,
                    List.of(), List.of(), null);
        }
        GroupedCounts counts = grouped.counts();
        List<String> levels = grouped.groups();
        LogRankTest g = LogRank.gRho(counts, options.rho());
        List<LevelEvents> events = new ArrayList<>();
        for (int k = 0; k < levels.size(); k++) {
            events.add(new LevelEvents(levels.get(k), g.n().get(k), finite(g.observed().get(k)), finite(g.expected().get(k))));
        }
        String name = options.rho() == 0 ? "log-rank" : options.rho() == 1 ? "Peto-Peto" : "G-rho";
        GRhoTest gRho = new GRhoTest(options.rho(), name, finite(g.chisq()), g.df(), finite(g.p()), List.copyOf(events));
        TrendTest trend = null;
        List<PairwiseTest> pairwise = new ArrayList<>();
        if (levels.size() >= 3) {
            org.nbregistry.analytics.survival.TrendTest t = LogRank.trend(counts);
            trend = new TrendTest(Arrays.stream(t.scores().toArray()).boxed().toList(), finite(t.chisq()), t.df(), finite(t.p()));
            for (PairwiseComparison c : LogRank.pairwise(counts, options.rho())) {
                pairwise.add(new PairwiseTest(c.first(), c.second(), finite(c.chisq()), finite(c.p()), finite(c.pHolm()),
                        finite(c.pBonferroni())));
            }
        }
        StratifiedTest stratified = null;
        if (options.byStratum() != null && options.byStratum().groups().length >= 2) {
            LogRankTest st = LogRank.stratified(options.byStratum(), options.rho());
            stratified = new StratifiedTest(options.strataBy(), List.of(options.byStratum().strata()), options.rho(), finite(st.chisq()),
                    st.df(), finite(st.p()));
        }
        List<RmstDifferenceView> differences = new ArrayList<>();
        if (options.tau() != null) {
            Rmst reference = grouped.curves().get(0).rmst(options.tau());
            for (int k = 1; k < levels.size(); k++) {
                RmstDifference d = RmstDifference.between(grouped.curves().get(k).rmst(options.tau()), reference);
                differences.add(new RmstDifferenceView(levels.get(k), levels.get(0), options.tau(), finite(d.difference()),
                        finite(d.se()), finite(d.p())));
            }
        }
        return new GroupTests(false, null, gRho, trend, stratified, List.copyOf(pairwise), List.copyOf(differences),
                univariateCox(groupBy, grouped));
    }

    /** The categorical Cox model of the grouping, its coefficients named by the factor and level. */
    static UnivariateCox univariateCox(String factor, SurvivalStatistics stats) {
        CoxFit fit = stats.coxWithZph();
        if (fit == null) {
            return null;
        }
        boolean robust = fit.robustVariance() != null;
        List<CoxModelView.Coefficient> coefficients = new ArrayList<>();
        for (CoxFit.Term t : fit.terms()) {
            coefficients.add(CoxModelView.coefficient(factor, t.name(), t, robust));
        }
        Concordance c = stats.concordance();
        List<CoxModelView.ProportionalHazards> ph = new ArrayList<>();
        if (fit.zph() != null) {
            for (int k = 0; k < fit.zph().terms().size(); k++) {
                ph.add(CoxModelView.zph(factor, fit.zph().terms().get(k)));
            }
            ph.add(CoxModelView.zph("GLOBAL", fit.zph().global()));
        }
        return new UnivariateCox(fit.ties().name().toLowerCase(Locale.ROOT), List.copyOf(coefficients), CoxModelView.tests(fit),
                new CoxModelView.ConcordanceView(finite(c.value()), finite(c.stdErr())), List.copyOf(ph));
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
