package org.nbregistry.analytics.survival;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * Incremental state of one analysis (endpoint x grouping): event and censoring counts per group and
 * whole day, optionally also per stratum. Adding or taking back a record's contribution is O(1): plus or
 * minus one in a day-indexed array. No record is kept here: the caller holds the records once and
 * changes one by subtracting what it was and adding what it is. Snapshots for the statistics cost
 * O(distinct days x groups) plus max day / 64 to scan the occupancy bitmap, independent of the
 * number of records.
 *
 * <p>Days are array indices, so they must lie in [0, {@link #MAX_DAY}]. Group levels are ordered by the
 * given comparator (natural String order by default, as R's factor() in the C locale); the first
 * present level is the reference. Levels and strata without records drop out of snapshots, as R
 * never sees them. Each operation also notes, per group, the range of days it touched, for
 * {@link IncrementalAnalysis} to redo only that. Not thread-safe.
 */
public final class IncrementalCounts {

    /** Largest accepted day (about 11,000 years): the per-day arrays stay bounded. */
    public static final int MAX_DAY = (1 << 22) - 1;

    private final Comparator<String> levelOrder;

    private final Map<String, Integer> groupIndex = new HashMap<>();
    private String[] groupNames = new String[4];
    private int groupCount;
    private int[][] groupEvents = new int[4][];
    private int[][] groupCensored = new int[4][];
    private int[] groupSize = new int[4];
    private int[] groupStratifiedSize = new int[4];

    private final Map<String, Integer> stratumIndex = new HashMap<>();
    private String[] strataNames = new String[2];
    private int strataCount;
    /** cell[s][g] counts of group g within stratum s, allocated on first use. */
    private int[][][] cellEvents = new int[2][4][];
    private int[][][] cellCensored = new int[2][4][];
    private int[] stratumSize = new int[2];

    private int dayCapacity = 1024;
    private int[] dayTotal = new int[dayCapacity];
    private long[] occupied = new long[dayCapacity >>> 6];
    private int distinctDays;

    /**
     * Change journal since the last {@link #clearChanges()}, for {@link IncrementalAnalysis}: per group
     * the smallest and largest day whose counts moved, whether any day became occupied or empty, and
     * whether anything changed at all. O(1) per record operation.
     */
    private int[] touchedFrom = filled(4, Integer.MAX_VALUE);
    private int[] touchedTo = filled(4, -1);
    private boolean daySetChanged;
    private boolean changed;

    private int records;

    public IncrementalCounts() {
        this(Comparator.naturalOrder());
    }

    public IncrementalCounts(Comparator<String> levelOrder) {
        this.levelOrder = levelOrder;
    }

    /** Number of records held. */
    public int size() {
        return records;
    }

    public int distinctDays() {
        return distinctDays;
    }

    /** Adds one record's contribution (a day in [0, {@link #MAX_DAY}], its status and group). */
    public void add(int day, boolean event, String group) {
        add(day, event, group, null);
    }

    /**
     * Adds one record's contribution. {@code stratum} null: the record counts in the unstratified figures only
     * (R drops rows with a missing stratum from the stratified test).
     */
    public void add(int day, boolean event, String group, String stratum) {
        if (day < 0 || day > MAX_DAY) {
            throw new IllegalArgumentException("day out of range [0, " + MAX_DAY + "]: " + day);
        }
        if (group == null) {
            throw new IllegalArgumentException("group is required; leave records with a missing group out");
        }
        apply(day, event, groupIndexOf(group), stratum == null ? -1 : stratumIndexOf(stratum), +1);
    }

    /** Takes back a contribution added before with the same arguments. */
    public void subtract(int day, boolean event, String group) {
        subtract(day, event, group, null);
    }

    /**
     * Takes back a contribution added before with the same arguments: a change of a record is the subtraction of
     * what it was and the addition of what it is. The records themselves are the caller's (one copy, whatever the
     * number of analyses counting them).
     */
    public void subtract(int day, boolean event, String group, String stratum) {
        Integer g = groupIndex.get(group);
        Integer s = stratum == null ? Integer.valueOf(-1) : stratumIndex.get(stratum);
        if (g == null || s == null || day < 0 || day >= dayCapacity
                || (event ? groupEvents[g][day] : groupCensored[g][day]) == 0) {
            throw new IllegalArgumentException("no such contribution: day " + day + ", event " + event + ", group "
                    + group + ", stratum " + stratum);
        }
        apply(day, event, g, s, -1);
    }

    /** Adds (sign +1) or takes back (sign -1) one record's contribution. */
    private void apply(int day, boolean event, int g, int s, int sign) {
        ensureDay(day);
        int[] byGroup = event ? groupEvents[g] : groupCensored[g];
        byGroup[day] += sign;
        groupSize[g] += sign;
        records += sign;
        if (s >= 0) {
            if (cellEvents[s][g] == null) {
                cellEvents[s][g] = new int[dayCapacity];
                cellCensored[s][g] = new int[dayCapacity];
            }
            int[][] cells = event ? cellEvents[s] : cellCensored[s];
            cells[g][day] += sign;
            stratumSize[s] += sign;
            groupStratifiedSize[g] += sign;
        }
        int before = dayTotal[day];
        dayTotal[day] = before + sign;
        if (before == 0) {
            occupied[day >>> 6] |= 1L << day;
            distinctDays++;
            daySetChanged = true;
        } else if (before + sign == 0) {
            occupied[day >>> 6] &= ~(1L << day);
            distinctDays--;
            daySetChanged = true;
        }
        touchedFrom[g] = Math.min(touchedFrom[g], day);
        touchedTo[g] = Math.max(touchedTo[g], day);
        changed = true;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    private int groupIndexOf(String group) {
        Integer known = groupIndex.get(group);
        if (known != null) {
            return known;
        }
        if (groupCount == groupNames.length) {
            int n = groupCount * 2;
            groupNames = Arrays.copyOf(groupNames, n);
            groupEvents = Arrays.copyOf(groupEvents, n);
            groupCensored = Arrays.copyOf(groupCensored, n);
            groupSize = Arrays.copyOf(groupSize, n);
            groupStratifiedSize = Arrays.copyOf(groupStratifiedSize, n);
            touchedFrom = Arrays.copyOf(touchedFrom, n);
            touchedTo = Arrays.copyOf(touchedTo, n);
            Arrays.fill(touchedFrom, groupCount, n, Integer.MAX_VALUE);
            Arrays.fill(touchedTo, groupCount, n, -1);
            for (int s = 0; s < strataCount; s++) {
                cellEvents[s] = Arrays.copyOf(cellEvents[s], n);
                cellCensored[s] = Arrays.copyOf(cellCensored[s], n);
            }
        }
        int g = groupCount++;
        groupNames[g] = group;
        groupEvents[g] = new int[dayCapacity];
        groupCensored[g] = new int[dayCapacity];
        groupIndex.put(group, g);
        return g;
    }

    private int stratumIndexOf(String stratum) {
        Integer known = stratumIndex.get(stratum);
        if (known != null) {
            return known;
        }
        if (strataCount == strataNames.length) {
            int n = strataCount * 2;
            strataNames = Arrays.copyOf(strataNames, n);
            stratumSize = Arrays.copyOf(stratumSize, n);
            cellEvents = Arrays.copyOf(cellEvents, n);
            cellCensored = Arrays.copyOf(cellCensored, n);
        }
        int s = strataCount++;
        strataNames[s] = stratum;
        cellEvents[s] = new int[groupNames.length][];
        cellCensored[s] = new int[groupNames.length][];
        stratumIndex.put(stratum, s);
        return s;
    }

    /** Grows every day-indexed array (amortised O(1) per record) so that {@code day} is a valid index. */
    private void ensureDay(int day) {
        if (day < dayCapacity) {
            return;
        }
        int n = dayCapacity;
        while (n <= day) {
            n *= 2;
        }
        dayCapacity = n;
        dayTotal = Arrays.copyOf(dayTotal, n);
        occupied = Arrays.copyOf(occupied, n >>> 6);
        for (int g = 0; g < groupCount; g++) {
            groupEvents[g] = Arrays.copyOf(groupEvents[g], n);
            groupCensored[g] = Arrays.copyOf(groupCensored[g], n);
        }
        for (int s = 0; s < strataCount; s++) {
            for (int g = 0; g < cellEvents[s].length; g++) {
                if (cellEvents[s][g] != null) {
                    cellEvents[s][g] = Arrays.copyOf(cellEvents[s][g], n);
                    cellCensored[s][g] = Arrays.copyOf(cellCensored[s][g], n);
                }
            }
        }
    }

    /** Occupied days ascending, from the bitmap: O(distinct days + max day / 64). */
    private int[] occupiedDays() {
        int[] days = new int[distinctDays];
        occupiedDays(days);
        return days;
    }

    /** Writes the occupied days ascending into {@code days} (length at least {@link #distinctDays()}). */
    void occupiedDays(int[] days) {
        int r = 0;
        for (int w = 0; w < occupied.length && r < days.length; w++) {
            long bits = occupied[w];
            while (bits != 0) {
                days[r++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
    }

    /** Internal indices of the groups with records, in level order. */
    int[] presentGroups() {
        return presentGroups(groupSize);
    }

    String groupName(int g) {
        return groupNames[g];
    }

    int groupSize(int g) {
        return groupSize[g];
    }

    /** Events of group g by day (index = day; valid up to the current capacity, read it fresh). */
    int[] eventsByDay(int g) {
        return groupEvents[g];
    }

    int[] censoredByDay(int g) {
        return groupCensored[g];
    }

    /** Smallest day of group g whose counts changed since {@link #clearChanges()}; MAX_VALUE if none. */
    int touchedFrom(int g) {
        return touchedFrom[g];
    }

    /** Largest such day; −1 if none. */
    int touchedTo(int g) {
        return touchedTo[g];
    }

    /** True if a day became occupied or empty since {@link #clearChanges()}. */
    boolean daySetChanged() {
        return daySetChanged;
    }

    /** True if any record was put or removed since {@link #clearChanges()}. */
    boolean hasChanges() {
        return changed;
    }

    void clearChanges() {
        Arrays.fill(touchedFrom, 0, groupCount, Integer.MAX_VALUE);
        Arrays.fill(touchedTo, 0, groupCount, -1);
        daySetChanged = false;
        changed = false;
    }

    /** Indices of the groups with a positive size, in level order. */
    private int[] presentGroups(int[] sizes) {
        int present = 0;
        for (int g = 0; g < groupCount; g++) {
            if (sizes[g] > 0) {
                present++;
            }
        }
        Integer[] order = new Integer[present];
        int j = 0;
        for (int g = 0; g < groupCount; g++) {
            if (sizes[g] > 0) {
                order[j++] = g;
            }
        }
        Arrays.sort(order, (a, b) -> levelOrder.compare(groupNames[a], groupNames[b]));
        int[] out = new int[present];
        for (int i = 0; i < present; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Snapshot of all records' counts by group and day, in O(distinct days x groups). */
    public GroupedCounts groupedCounts() {
        int[] groups = presentGroups(groupSize);
        int[] days = occupiedDays();
        int k = groups.length;
        String[] names = new String[k];
        int[][] events = new int[k][];
        int[][] censored = new int[k][];
        for (int j = 0; j < k; j++) {
            int g = groups[j];
            names[j] = groupNames[g];
            events[j] = gather(groupEvents[g], days);
            censored[j] = gather(groupCensored[g], days);
        }
        return new GroupedCounts(names, days, events, censored);
    }

    /** Snapshot split by stratum (records with a stratum only), in O(distinct days x groups x strata). */
    public StratifiedCounts stratifiedCounts() {
        int[] groups = presentGroups(groupStratifiedSize);
        int k = groups.length;
        String[] names = new String[k];
        for (int j = 0; j < k; j++) {
            names[j] = groupNames[groups[j]];
        }
        int present = 0;
        for (int s = 0; s < strataCount; s++) {
            if (stratumSize[s] > 0) {
                present++;
            }
        }
        Integer[] order = new Integer[present];
        int j = 0;
        for (int s = 0; s < strataCount; s++) {
            if (stratumSize[s] > 0) {
                order[j++] = s;
            }
        }
        Arrays.sort(order, (a, b) -> strataNames[a].compareTo(strataNames[b]));
        int[] allDays = occupiedDays();
        String[] strata = new String[present];
        GroupedCounts[] perStratum = new GroupedCounts[present];
        for (int i = 0; i < present; i++) {
            int s = order[i];
            strata[i] = strataNames[s];
            perStratum[i] = stratumCounts(s, groups, names, allDays);
        }
        return new StratifiedCounts(names, strata, perStratum);
    }

    private GroupedCounts stratumCounts(int s, int[] groups, String[] names, int[] allDays) {
        int k = groups.length;
        int distinct = 0;
        for (int day : allDays) {
            if (cellOccupied(s, groups, day)) {
                distinct++;
            }
        }
        int[] days = new int[distinct];
        int r = 0;
        for (int day : allDays) {
            if (cellOccupied(s, groups, day)) {
                days[r++] = day;
            }
        }
        int[][] events = new int[k][];
        int[][] censored = new int[k][];
        for (int j = 0; j < k; j++) {
            int g = groups[j];
            int[] ev = g < cellEvents[s].length ? cellEvents[s][g] : null;
            events[j] = ev == null ? new int[distinct] : gather(ev, days);
            censored[j] = ev == null ? new int[distinct] : gather(cellCensored[s][g], days);
        }
        return new GroupedCounts(names.clone(), days, events, censored);
    }

    private boolean cellOccupied(int s, int[] groups, int day) {
        for (int g : groups) {
            if (g < cellEvents[s].length && cellEvents[s][g] != null
                    && cellEvents[s][g][day] + cellCensored[s][g][day] > 0) {
                return true;
            }
        }
        return false;
    }

    private static int[] gather(int[] byDay, int[] days) {
        int[] out = new int[days.length];
        for (int i = 0; i < days.length; i++) {
            out[i] = byDay[days[i]];
        }
        return out;
    }
}
