package org.nbregistry.analytics.plot;

import java.util.List;

/**
 * What a Kaplan–Meier plot shows, already cleared for disclosure: only the curves that may be drawn, and notes for
 * the ones that may not.
 *
 * @param subtitle   lines under the title (cohort, numbers, dataset version)
 * @param curves     the groups to draw, in legend order
 * @param testResult the group test as a line of text (e.g. the log-rank p-value, or why it is withheld); null for none
 * @param notes      lines under the risk table, e.g. the groups not drawn and why
 * @param band       whether to shade each curve's pointwise confidence band
 * @param timeUnit   the unit of the time axis and of the numbers-at-risk columns
 */
public record KaplanMeierChart(String title, List<String> subtitle, String yLabel, List<Curve> curves, String testResult,
                               List<String> notes, boolean band, TimeUnit timeUnit) {

    public KaplanMeierChart {
        subtitle = List.copyOf(subtitle);
        curves = List.copyOf(curves);
        notes = List.copyOf(notes);
    }

    /** One group's Kaplan–Meier table, one step per distinct day, days ascending. */
    public record Curve(String label, List<Step> steps) {
        public Curve {
            steps = List.copyOf(steps);
        }

        /** Records still at risk at the start of {@code day}: the at-risk count of the first step on or after it, else 0. */
        public int atRisk(int day) {
            for (Step s : steps) {
                if (s.day() >= day) {
                    return s.atRisk();
                }
            }
            return 0;
        }

        int lastDay() {
            return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).day();
        }
    }

    /** @param lower null where the band is undefined (R's NA); so is upper */
    public record Step(int day, int atRisk, int events, int censored, double survival, Double lower, Double upper) {
    }
}
