package org.nbregistry.analytics.survival;

/**
 * Events and censorings per group at each distinct day on which anything happened, days ascending.
 * This is all that Kaplan–Meier, the log-rank family and a Cox model with one categorical covariate need,
 * so its size depends on the number of distinct days and groups, not on the number of records.
 *
 * @param groups   group labels; index 0 is the reference level
 * @param days     distinct days, strictly ascending
 * @param events   events[g][i] = events in group g on days[i]
 * @param censored censored[g][i] = censorings in group g on days[i]
 */
public record GroupedCounts(String[] groups, int[] days, int[][] events, int[][] censored) {

    public int groupCount() {
        return groups.length;
    }

    public int dayCount() {
        return days.length;
    }

    /** atRisk[g][i]: records of group g still under observation at the start of days[i] (censored-at-t are at risk at t). */
    public int[][] atRisk() {
        int[][] risk = new int[groups.length][days.length];
        for (int g = 0; g < groups.length; g++) {
            int remaining = 0;
            for (int i = 0; i < days.length; i++) {
                remaining += events[g][i] + censored[g][i];
            }
            for (int i = 0; i < days.length; i++) {
                risk[g][i] = remaining;
                remaining -= events[g][i] + censored[g][i];
            }
        }
        return risk;
    }
}
