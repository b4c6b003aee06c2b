package org.nbregistry.analytics.rest;

import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.plot.ForestChart;
import org.nbregistry.analytics.plot.KaplanMeierChart;
import org.nbregistry.analytics.plot.TimeUnit;
import org.nbregistry.analytics.rest.PredictorsView.Predictor;
import org.nbregistry.analytics.rest.PredictorsView.PredictorLevel;
import org.nbregistry.analytics.rest.SurvivalAnalysisView.GroupComparison;
import org.nbregistry.analytics.rest.SurvivalAnalysisView.GroupSurvival;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the served answers into charts. Charts are made from the views, after disclosure control, so a figure can
 * never show what the JSON withholds.
 */
final class Plots {

    private Plots() {
    }

    static KaplanMeierChart kaplanMeier(SurvivalAnalysisView view, boolean band, TimeUnit timeUnit) {
        String endpointName = endpointName(view.endpoint());
        List<GroupSurvival> groups = view.groupBy() == null ? List.of(view.overall()) : view.groups();
        List<KaplanMeierChart.Curve> curves = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (GroupSurvival group : groups) {
            String label = view.groupBy() == null ? "All episodes" : group.level();
            if (group.suppressed()) {
                notes.add("Not drawn: " + label + " — " + group.suppressionReason());
                continue;
            }
            curves.add(new KaplanMeierChart.Curve(label, group.table().stream()
                    .map(r -> new KaplanMeierChart.Step(r.day(), r.atRisk(), r.events(), r.censored(), r.survival(), r.lower(), r.upper()))
                    .toList()));
        }
        if (view.groupBy() != null && view.groups().isEmpty()) {
            notes.add("No episode in this cohort has a known level of " + view.groupBy());
        }
        if (view.excluded() != null && view.excluded() > 0) {
            notes.add(view.excluded() + " episodes left out: their level of " + view.groupBy() + " is unknown");
        }
        if (band) {
            notes.add("Shaded: pointwise " + percent(view.confLevel()) + " confidence band (" + view.confType() + " transform)");
        }
        notes.add("Ticks on a curve mark censored episodes.");

        String title = endpointName + (view.groupBy() == null ? "" : " by " + factorLabel(view.groupBy()));
        List<String> subtitle = new ArrayList<>();
        GroupSurvival all = view.overall();
        subtitle.add(all.suppressed() ? "Cohort below the disclosure threshold: " + all.suppressionReason()
                : "n = " + all.n() + " episodes, " + all.events() + " events" + median(all));
        subtitle.add(cohort(view.cohort()) + scope(view.asOf(), view.landmark()) + " · "
                + version(view.datasetVersion(), view.reflectsChangesUpTo()));
        return new KaplanMeierChart(title, subtitle, endpointName + " probability", curves, testResult(view.comparison()), notes, band, timeUnit);
    }

    static ForestChart forest(PredictorsView view) {
        List<ForestChart.Section> sections = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Predictor p : view.predictors()) {
            String summary = p.suppressed() ? "withheld: " + p.suppressionReason()
                    : p.note() != null ? p.note()
                    : p.logRankP() == null ? null : "log-rank " + pValue(p.logRankP());
            List<ForestChart.Row> rows = p.levels().stream().map(l -> row(l, p)).toList();
            sections.add(new ForestChart.Section(p.label(), summary, rows));
        }
        notes.add("Univariate Cox models (Efron ties), one per factor; squares are hazard ratios against the reference level, "
                + "lines their " + percent(view.confLevel()) + " confidence intervals"
                + (PredictorsView.ROBUST_SE.equals(view.standardErrors()) ? " from robust standard errors clustered by patient." : "."));
        String title = "Predictors of " + endpointName(view.endpoint()).toLowerCase(Locale.ROOT);
        List<String> subtitle = List.of(cohort(view.cohort()) + scope(view.asOf(), view.landmark()) + " · "
                + version(view.datasetVersion(), view.reflectsChangesUpTo()));
        return new ForestChart(title, subtitle, sections, notes);
    }

    private static ForestChart.Row row(PredictorLevel l, Predictor p) {
        if (l.suppressed()) {
            return new ForestChart.Row(l.level(), "–", null, "suppressed: " + l.suppressionReason());
        }
        String counts = l.n() + " / " + l.events();
        if ("reference".equals(l.estimate())) {
            return new ForestChart.Row(l.level(), counts, null, "reference");
        }
        if (l.estimate() == null) {
            // Shown level of a factor whose comparison is withheld or impossible: no estimate to draw.
            return new ForestChart.Row(l.level(), counts, null, null);
        }
        if (l.hazardRatio() == null || l.lower() == null || l.upper() == null) {
            return new ForestChart.Row(l.level(), counts, null, switch (l.estimate()) {
                case "diverging" -> "no finite estimate (monotone likelihood)";
                case "aliased" -> "not estimable (aliased)";
                case "not_estimable" -> "not estimable (no events)";
                default -> l.estimate();
            });
        }
        String text = String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", l.hazardRatio(), l.lower(), l.upper())
                + (l.waldP() == null ? "" : ", " + pValue(l.waldP()));
        return new ForestChart.Row(l.level(), counts, new ForestChart.Estimate(l.hazardRatio(), l.lower(), l.upper()), text);
    }

    private static String testResult(GroupComparison comparison) {
        if (comparison == null) {
            return null;
        }
        if (comparison.suppressed()) {
            return "Log-rank test withheld: " + comparison.suppressionReason();
        }
        if (comparison.p() == null) {
            return "Log-rank test: not computable";
        }
        return String.format(Locale.ROOT, "Log-rank %s (chi-square %.2f, %d df)", pValue(comparison.p()), comparison.chiSquare(),
                comparison.df());
    }

    private static String median(GroupSurvival group) {
        if (group.median() == null || group.median().days() == null) {
            return ", median not reached";
        }
        return String.format(Locale.ROOT, ", median %.0f days", group.median().days());
    }

    static String pValue(double p) {
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }

    private static String percent(double level) {
        return String.format(Locale.ROOT, "%.0f%%", level * 100);
    }

    private static String endpointName(String endpoint) {
        return endpoint.equals("EFS") ? "Event-free survival" : "Overall survival";
    }

    private static String factorLabel(String factor) {
        return Factors.byName(factor).map(Factors.Factor::label).orElse(factor);
    }

    private static String cohort(CohortView cohort) {
        List<String> parts = new ArrayList<>();
        parts.add(cohort.sites().isEmpty() ? "all sites" : "sites " + String.join(", ", cohort.sites()));
        if (cohort.from() != null || cohort.to() != null) {
            parts.add("episodes " + (cohort.from() == null ? "…" : cohort.from()) + " to " + (cohort.to() == null ? "…" : cohort.to()));
        }
        if (!cohort.episodeTypes().isEmpty()) {
            parts.add(String.join(", ", cohort.episodeTypes()));
        }
        if (cohort.firstEpisodesOnly()) {
            parts.add("first episodes only");
        }
        return String.join(" · ", parts);
    }

    private static String scope(LocalDate asOf, Integer landmark) {
        return (asOf == null ? "" : " · data as of " + asOf) + (landmark == null ? "" : " · from landmark day " + landmark);
    }

    private static String version(long datasetVersion, Instant reflects) {
        return "dataset version " + datasetVersion + ", changes up to " + reflects;
    }
}
