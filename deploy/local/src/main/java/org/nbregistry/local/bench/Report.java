package org.nbregistry.local.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The bench's figures in the order measured, printed at the end as a Markdown table (figure | measured). */
final class Report {

    private final Map<String, String> figures = new LinkedHashMap<>();
    private boolean complete = true;

    void figure(String name, String value) {
        figures.put(name, value);
    }

    /** A figure the bench could not measure, e.g. because a phase timed out; the run then ends with exit code 1. */
    void missing(String name, String why) {
        figures.put(name, "not measured: " + why);
        complete = false;
    }

    void fail() {
        complete = false;
    }

    boolean complete() {
        return complete;
    }

    Map<String, String> figures() {
        return Map.copyOf(figures);
    }

    String markdown() {
        StringBuilder table = new StringBuilder("| figure | measured |\n|---|---|\n");
        figures.forEach((name, value) -> table.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n"));
        return table.toString();
    }

    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String millis(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
