package org.nbregistry.analytics.plot;

import java.util.List;

/**
 * What a forest plot of univariate hazard ratios shows, already cleared for disclosure.
 *
 * @param subtitle lines under the title
 * @param sections one per factor, in table order
 * @param notes    lines under the axis, e.g. how the models were fitted
 */
public record ForestChart(String title, List<String> subtitle, List<Section> sections, List<String> notes) {

    public ForestChart {
        subtitle = List.copyOf(subtitle);
        sections = List.copyOf(sections);
        notes = List.copyOf(notes);
    }

    /** @param summary the factor's test or why there is none, shown beside its name */
    public record Section(String label, String summary, List<Row> rows) {
        public Section {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One level of a factor.
     *
     * @param counts   "n / events" as shown, or a dash when withheld
     * @param estimate the hazard ratio against the reference level with its interval; null when none is drawn
     * @param text     what the right-hand column says: the estimate in words, "reference", or why there is none
     */
    public record Row(String level, String counts, Estimate estimate, String text) {
    }

    public record Estimate(double hazardRatio, double lower, double upper) {
    }
}
