package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * Builds day counts from per-record arrays in one pass: the from-scratch path, and the reference the
 * incremental state is checked against. Records with group (or stratum) -1 are left out, as R drops
 * rows with a missing factor; levels without records are dropped, as R's factor() never sees them.
 */
public final class Tabulation {

    /** Above this many days per record a sort beats dense per-day arrays. */
    private static final int DENSE_DAYS_PER_RECORD = 8;

    private Tabulation() {
    }

    /**
     * @param levels group labels in reference-first order; group[i] indexes them, -1 = missing
     * @param day    follow-up in whole days, &gt;= 0
     * @param status 1 = event, 0 = censored
     */
    public static GroupedCounts groupedCounts(String[] levels, int[] group, int[] day, int[] status) {
        int[] none = new int[day.length];
        StratifiedCounts one = stratifiedCounts(levels, group, new String[] {""}, none, day, status);
        if (one.perStratum().length == 0) {
            return new GroupedCounts(new String[0], new int[0], new int[0][], new int[0][]);
        }
        return one.perStratum()[0];
    }

    /** As {@link #groupedCounts}, split by stratum; stratum[i] indexes {@code strata}, -1 = missing. */
    public static StratifiedCounts stratifiedCounts(String[] levels, int[] group, String[] strata, int[] stratum,
                                                    int[] day, int[] status) {
        int levelCount = levels.length;
        int strataCount = strata.length;
        int[] groupSize = new int[levelCount];
        int[] stratumSize = new int[strataCount];
        int maxDay = 0;
        int used = 0;
        for (int i = 0; i < day.length; i++) {
            if (group[i] < 0 || stratum[i] < 0) {
                continue;
            }
            if (day[i] < 0) {
                throw new IllegalArgumentException("negative follow-up for record " + i);
            }
            groupSize[group[i]]++;
            stratumSize[stratum[i]]++;
            maxDay = Math.max(maxDay, day[i]);
            used++;
        }
        int[] groupMap = compact(groupSize);
        int[] stratumMap = compact(stratumSize);
        String[] keptLevels = pick(levels, groupMap);
        String[] keptStrata = pick(strata, stratumMap);
        int cells = keptLevels.length * keptStrata.length;
        int[] cellOf = new int[day.length];
        for (int i = 0; i < day.length; i++) {
            cellOf[i] = group[i] < 0 || stratum[i] < 0 ? -1
                    : stratumMap[stratum[i]] * keptLevels.length + groupMap[group[i]];
        }
        GroupedCounts[] perStratum = (long) maxDay + 1 <= (long) DENSE_DAYS_PER_RECORD * Math.max(used, 1) + 1024
                ? denseCounts(keptLevels, keptStrata.length, cells, cellOf, day, status, maxDay)
                : sortedCounts(keptLevels, keptStrata.length, cells, cellOf, day, status);
        return new StratifiedCounts(keptLevels, keptStrata, perStratum);
    }

    /** Maps old index to new index among entries with a positive count, -1 for the rest. */
    private static int[] compact(int[] sizes) {
        int[] map = new int[sizes.length];
        int next = 0;
        for (int i = 0; i < sizes.length; i++) {
            map[i] = sizes[i] > 0 ? next++ : -1;
        }
        return map;
    }

    private static String[] pick(String[] names, int[] map) {
        int kept = 0;
        for (int m : map) {
            if (m >= 0) {
                kept++;
            }
        }
        String[] out = new String[kept];
        for (int i = 0; i < map.length; i++) {
            if (map[i] >= 0) {
                out[map[i]] = names[i];
            }
        }
        return out;
    }

    /** Counting by day into dense arrays, O(records + max day). */
    private static GroupedCounts[] denseCounts(String[] levels, int strataCount, int cells, int[] cellOf, int[] day,
                                               int[] status, int maxDay) {
        int span = maxDay + 1;
        int[][] events = new int[cells][span];
        int[][] censored = new int[cells][span];
        for (int i = 0; i < day.length; i++) {
            int c = cellOf[i];
            if (c >= 0) {
                if (status[i] != 0) {
                    events[c][day[i]]++;
                } else {
                    censored[c][day[i]]++;
                }
            }
        }
        GroupedCounts[] out = new GroupedCounts[strataCount];
        int k = levels.length;
        for (int s = 0; s < strataCount; s++) {
            int distinct = 0;
            for (int d = 0; d < span; d++) {
                if (occupied(events, censored, s * k, k, d)) {
                    distinct++;
                }
            }
            int[] days = new int[distinct];
            int[][] ev = new int[k][distinct];
            int[][] ce = new int[k][distinct];
            int r = 0;
            for (int d = 0; d < span; d++) {
                if (occupied(events, censored, s * k, k, d)) {
                    days[r] = d;
                    for (int g = 0; g < k; g++) {
                        ev[g][r] = events[s * k + g][d];
                        ce[g][r] = censored[s * k + g][d];
                    }
                    r++;
                }
            }
            out[s] = new GroupedCounts(levels.clone(), days, ev, ce);
        }
        return out;
    }

    private static boolean occupied(int[][] events, int[][] censored, int first, int k, int d) {
        for (int g = first; g < first + k; g++) {
            if (events[g][d] + censored[g][d] > 0) {
                return true;
            }
        }
        return false;
    }

    /** Sort of (cell, day, status) keys, O(records log records), for sparse, far-apart days. */
    private static GroupedCounts[] sortedCounts(String[] levels, int strataCount, int cells, int[] cellOf, int[] day,
                                                int[] status) {
        int k = levels.length;
        int used = 0;
        for (int c : cellOf) {
            if (c >= 0) {
                used++;
            }
        }
        // stratum in the high bits so each stratum is one run, then day, then group and status
        long[] keys = new long[used];
        int j = 0;
        for (int i = 0; i < day.length; i++) {
            int c = cellOf[i];
            if (c >= 0) {
                long s = c / k;
                long g = c % k;
                keys[j++] = (s << 52) | ((long) day[i] << 20) | (g << 1) | (status[i] != 0 ? 1 : 0);
            }
        }
        Arrays.sort(keys);
        GroupedCounts[] out = new GroupedCounts[strataCount];
        int start = 0;
        for (int s = 0; s < strataCount; s++) {
            int end = start;
            int distinct = 0;
            long lastDay = -1;
            while (end < used && (keys[end] >>> 52) == s) {
                long d = (keys[end] >>> 20) & 0xFFFFFFFFL;
                if (d != lastDay) {
                    distinct++;
                    lastDay = d;
                }
                end++;
            }
            int[] days = new int[distinct];
            int[][] ev = new int[k][distinct];
            int[][] ce = new int[k][distinct];
            int r = -1;
            lastDay = -1;
            for (int i = start; i < end; i++) {
                long d = (keys[i] >>> 20) & 0xFFFFFFFFL;
                if (d != lastDay) {
                    days[++r] = (int) d;
                    lastDay = d;
                }
                int g = (int) ((keys[i] >>> 1) & 0x7FFFF);
                if ((keys[i] & 1) != 0) {
                    ev[g][r]++;
                } else {
                    ce[g][r]++;
                }
            }
            out[s] = new GroupedCounts(levels.clone(), days, ev, ce);
            start = end;
        }
        return out;
    }
}
