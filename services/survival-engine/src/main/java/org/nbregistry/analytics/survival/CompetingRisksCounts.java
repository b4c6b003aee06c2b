package org.nbregistry.analytics.survival;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Competing-risks data as counts: per group and distinct time, the censorings and the events of each
 * cause. This is all the Aalen–Johansen estimator and Gray's test need, so their cost depends on the
 * number of distinct times and groups, not on the number of records.
 *
 * @param groups   group labels (level order)
 * @param causes   cause codes, ascending (the non-zero status values, e.g. 1 relapse, 2 death)
 * @param times    distinct times, strictly ascending
 * @param events   events[c][g][i]: events of cause causes[c] in group g at times[i]
 * @param censored censored[g][i]
 */
public record CompetingRisksCounts(String[] groups, int[] causes, double[] times, int[][][] events,
                                   int[][] censored) {

    public CompetingRisksCounts {
        if (events.length != causes.length || censored.length != groups.length) {
            throw new IllegalArgumentException("events per cause and censorings per group expected");
        }
        for (int i = 1; i < times.length; i++) {
            if (!(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("times must be strictly ascending");
            }
        }
    }

    /** One group ("all") from records: time, status (0 censored, k &gt; 0 cause k). */
    public static CompetingRisksCounts of(double[] time, int[] status) {
        String[] g = new String[time.length];
        Arrays.fill(g, "all");
        return of(time, status, g, List.of("all"));
    }

    /** Groups in String order of their labels (pass the order explicitly for other orders). */
    public static CompetingRisksCounts of(double[] time, int[] status, String[] group) {
        return of(time, status, group, List.copyOf(new TreeSet<>(Arrays.asList(group))));
    }

    /** From records: time, status (0 censored, k &gt; 0 cause k), group label; levels give the group order. */
    public static CompetingRisksCounts of(double[] time, int[] status, String[] group, List<String> levels) {
        int n = time.length;
        if (status.length != n || group.length != n) {
            throw new IllegalArgumentException("time, status and group need one entry per record");
        }
        double[] t = time.clone();
        Arrays.sort(t);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(t[i])) {
                throw new IllegalArgumentException("non-finite time");
            }
            if (m == 0 || t[i] != t[m - 1]) {
                t[m++] = t[i];
            }
        }
        double[] times = Arrays.copyOf(t, m);
        int[] causes = Arrays.stream(status).filter(s -> s != 0).distinct().sorted().toArray();
        if (Arrays.stream(status).anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("status must be 0 (censored) or a positive cause code");
        }
        String[] groups = levels.toArray(String[]::new);
        int[][][] events = new int[causes.length][groups.length][m];
        int[][] censored = new int[groups.length][m];
        for (int i = 0; i < n; i++) {
            int g = levels.indexOf(group[i]);
            if (g < 0) {
                throw new IllegalArgumentException("group '" + group[i] + "' is not a level");
            }
            int k = Arrays.binarySearch(times, time[i]);
            if (status[i] == 0) {
                censored[g][k]++;
            } else {
                events[Arrays.binarySearch(causes, status[i])][g][k]++;
            }
        }
        return new CompetingRisksCounts(groups, causes, times, events, censored);
    }

    public int groupCount() {
        return groups.length;
    }

    /** Index of a cause code in {@link #causes()}, or −1. */
    public int causeIndex(int code) {
        int i = Arrays.binarySearch(causes, code);
        return i >= 0 ? i : -1;
    }

    /** Records in group g. */
    public int size(int g) {
        int s = 0;
        for (int i = 0; i < times.length; i++) {
            s += censored[g][i];
            for (int[][] e : events) {
                s += e[g][i];
            }
        }
        return s;
    }
}
