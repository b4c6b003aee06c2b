package org.nbregistry.analytics.plot;

import java.util.Locale;

/**
 * The unit of a survival plot's time axis. Ticks fall on whole units (months and years of 365.25 days, as R's
 * survminer and most papers count them); the curves themselves stay in days.
 */
public enum TimeUnit {
    DAYS(1, new int[] {1, 2, 5, 7, 14, 30, 60, 90, 180, 365, 730, 1095, 1826, 3652}),
    MONTHS(365.25 / 12, new int[] {1, 2, 3, 6, 12, 24, 36, 60, 120}),
    YEARS(365.25, new int[] {1, 2, 5, 10, 20, 50});

    private final double days;
    /** Tick spacings in this unit, smallest first. */
    private final int[] steps;

    TimeUnit(double days, int[] steps) {
        this.days = days;
        this.steps = steps;
    }

    /** How the API names it: days, months, years. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    String axisLabel() {
        String code = code();
        return Character.toUpperCase(code.charAt(0)) + code.substring(1) + " from episode date";
    }

    double days(int units) {
        return units * days;
    }

    double inUnits(int day) {
        return day / days;
    }

    int[] steps() {
        return steps;
    }
}
