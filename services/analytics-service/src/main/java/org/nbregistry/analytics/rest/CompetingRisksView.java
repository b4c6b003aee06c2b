package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.AnalystQueries.CompetingRisksAnswer;
import org.nbregistry.analytics.statistics.CompetingRisksStatistics;
import org.nbregistry.analytics.statistics.CompetingRisksStatistics.Cause;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.survival.CompetingRisksFit;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.GrayTest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.nbregistry.analytics.rest.SurvivalAnalysisView.finite;

/**
 * What ended each episode's event-free survival, as competing risks: per cause the Aalen–Johansen cumulative incidence
 * (R: survfit(Surv(t, factor(cause)) ~ 1)) of the cohort and, when grouped, of each level, and per cause Gray's test
 * across the levels (cmprsk::cuminc). Disclosure control as for survival: groups below the threshold, and the next
 * smallest when only one is, carry no numbers, and neither do tests involving them.
 */
@Schema(name = "CompetingRisks")
public record CompetingRisksView(
        @Schema(description = "Always EFS: time from the episode date to whichever ended event-free survival first") String endpoint,
        String groupBy, CohortView cohort,
        @Schema(description = "Data cut-off applied (clinical dates on or before it), null for none") LocalDate asOf,
        long datasetVersion, Instant reflectsChangesUpTo, String confType, double confLevel, List<Integer> times, int minGroupSize,
        @Schema(description = "The competing causes: progression (the patient's next episode, a relapse or progression), "
                + "death_without_progression, second_malignancy (before either)")
        List<String> causes,
        CompetingRisksGroup overall, List<CompetingRisksGroup> groups,
        @Schema(description = "Episodes left out of the grouping because their level is unknown; null when withheld")
        Integer excluded, String excludedSuppressionReason,
        @Schema(description = "Gray's test per cause across the groups; empty with fewer than two groups")
        List<GrayComparison> tests) {

    @Schema(name = "CompetingRisksGroup")
    public record CompetingRisksGroup(String level, boolean suppressed, String suppressionReason, Integer n,
                                      List<CauseIncidence> causes) {
    }

    @Schema(name = "CauseIncidence")
    public record CauseIncidence(String cause, int events, List<IncidenceEstimate> estimates, List<IncidenceRow> table) {
    }

    /** Cumulative incidence at a requested day; not estimable (numbers null) beyond the group's last follow-up. */
    @Schema(name = "IncidenceEstimate")
    public record IncidenceEstimate(int day, boolean estimable, Double cumulativeIncidence, Double stdErr, Double lower, Double upper) {
    }

    /** One distinct day: at risk before it, this cause's events on it, the incidence after it with its SE and limits. */
    @Schema(name = "IncidenceRow")
    public record IncidenceRow(int day, int atRisk, int events, double cumulativeIncidence, Double stdErr, Double lower, Double upper) {
    }

    @Schema(name = "GrayComparison")
    public record GrayComparison(String cause, String test, boolean suppressed, String suppressionReason, Double statistic,
                                 Integer df, Double p) {
    }

    static final List<String> CAUSES = Arrays.stream(Cause.values()).map(CompetingRisksView::name).toList();

    static CompetingRisksView of(String groupBy, CohortView cohort, LocalDate asOf, CompetingRisksAnswer answer, ConfType type,
                                 double level, double[] times, int minGroupSize) {
        CompetingRisksStatistics stats = answer.statistics();
        CompetingRisksFit all = stats.overall();
        CompetingRisksGroup overall = group("all", all, times, all.n() < minGroupSize ? Disclosure.smallGroup(minGroupSize) : null);
        List<CompetingRisksGroup> groups = new ArrayList<>();
        Integer excluded = null;
        String excludedReason = null;
        List<GrayComparison> tests = List.of();
        if (groupBy != null) {
            String[] reasons = Disclosure.groups(stats.groups().stream().mapToInt(CompetingRisksFit::n).toArray(), minGroupSize);
            int grouped = 0;
            for (int g = 0; g < stats.levels().size(); g++) {
                groups.add(group(stats.levels().get(g), stats.groups().get(g), times, reasons[g]));
                grouped += stats.groups().get(g).n();
            }
            excluded = all.n() - grouped;
            if (!overall.suppressed() && groups.stream().filter(CompetingRisksGroup::suppressed).count() == 1) {
                excluded = null;
                excludedReason = SurvivalAnalysisView.EXCLUDED_WITHHELD;
            }
            boolean hidden = groups.stream().anyMatch(CompetingRisksGroup::suppressed);
            tests = stats.gray().stream().map(t -> hidden
                    ? new GrayComparison(name(t), "gray", true, "a group has fewer than " + minGroupSize
                            + " episodes (disclosure control)", null, null, null)
                    : new GrayComparison(name(t), "gray", false, null, finite(t.statistic()), t.df(), finite(t.p()))).toList();
        }
        return new CompetingRisksView("EFS", groupBy, cohort, asOf, answer.datasetVersion(), answer.reflectsChangesUpTo(), type.rName(),
                level, Arrays.stream(times).mapToObj(t -> (int) t).toList(), minGroupSize, CAUSES, overall, List.copyOf(groups), excluded,
                excludedReason, tests);
    }

    private static CompetingRisksGroup group(String level, CompetingRisksFit fit, double[] times, String reason) {
        if (reason != null) {
            return new CompetingRisksGroup(level, true, reason, null, List.of());
        }
        List<CauseIncidence> causes = new ArrayList<>();
        for (Cause cause : Cause.values()) {
            CompetingRisksFit.Cause curve = fit.cause(cause.code());
            List<IncidenceRow> rows = new ArrayList<>(fit.size());
            int events = 0;
            for (int i = 0; i < fit.size(); i++) {
                events += curve.nEvent().get(i);
                rows.add(new IncidenceRow((int) fit.time().get(i), fit.nRisk().get(i), curve.nEvent().get(i), curve.cif().get(i),
                        finite(curve.stdErr().get(i)), finite(curve.lower().get(i)), finite(curve.upper().get(i))));
            }
            List<IncidenceEstimate> estimates = fit.at(cause.code(), times).stream()
                    .map(a -> new IncidenceEstimate((int) a.time(), a.estimable(), a.estimable() ? finite(a.cif()) : null,
                            a.estimable() ? finite(a.stdErr()) : null, a.estimable() ? finite(a.lower()) : null,
                            a.estimable() ? finite(a.upper()) : null))
                    .toList();
            causes.add(new CauseIncidence(name(cause), events, estimates, List.copyOf(rows)));
        }
        return new CompetingRisksGroup(level, false, null, fit.n(), List.copyOf(causes));
    }

    private static String name(GrayTest test) {
        return Arrays.stream(Cause.values()).filter(c -> c.code() == test.cause()).findFirst().map(CompetingRisksView::name).orElseThrow();
    }

    private static String name(Cause cause) {
        return cause.name().toLowerCase(Locale.ROOT);
    }
}
