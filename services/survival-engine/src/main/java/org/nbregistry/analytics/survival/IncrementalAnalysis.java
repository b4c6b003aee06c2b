package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One analysis (endpoint × grouping) kept up to date: Kaplan–Meier curve and confidence band per level,
 * the log-rank test and the categorical Cox model (Efron by default), refreshed after record changes
 * by redoing only what the changes reach. Records' contributions go in through {@link #add} and {@link
 * #subtract} (O(1), as {@link IncrementalCounts}, which keeps counts, not records); {@link #refresh()}
 * brings every statistic up to date and returns them.
 *
 * <p>What a refresh recomputes, when the changed records' old and new days lie in [t0, t1]:
 * <ul>
 *   <li>nothing, if no record changed since the last refresh (the previous result is returned);</li>
 *   <li>the curve and band of a level only if one of its records changed, and only from t0 on: rows
 *       before t0 are copied (their counts, n at risk and estimates cannot have changed) and the
 *       product-limit recursion resumes from the stored running sums of the row before; rows after t1
 *       keep their days and counts. A level that gained or lost records is redone from its first row
 *       (everyone's n at risk moved);</li>
 *   <li>with two levels, the per-day log-rank and Cox terms only on days whose counts changed (those in
 *       [t0, t1], or all days up to t1 if a level's size changed), and the sums over days only for the
 *       {@link DayBlocks} holding them;</li>
 *   <li>the Cox fit by R's Newton–Raphson ({@link CoxNewton}: coxfit6's steps, step-halving and
 *       convergence rule) started from the previous estimate. The log-likelihood, score and information
 *       at β = 0 and at the anchor (the β of the last pass over all days) are the cached per-day terms'
 *       sums; at a β near the anchor they are its Taylor polynomials, with the third to fifth derivatives
 *       summed alongside, used only where the proven error is below 1e-13 of the information, 1e-13 of
 *       the number of events (score) and 2^-53 of the log-likelihood (see {@link TwoGroups}); anywhere
 *       else, a pass over all days makes that β the new anchor. After one changed record in a large
 *       registry both Newton evaluations (the start and one step on) come from the polynomials.</li>
 * </ul>
 *
 * <p>Exactness, each checked by {@code IncrementalAnalysisPropertyTest} after random add, change and
 * remove sequences: curves, bands and log-rank tests equal, bit for bit, the from-scratch computation on
 * the same records ({@link KaplanMeier#byGroup} and {@link KaplanMeier#confidenceBand} on {@link
 * Tabulation}'s counts, {@link LogRank#logRank}); the Cox null log-likelihood and score test likewise;
 * the rest of the Cox fit equals {@link Cox#fitCategorical(List, Cox.Ties, double[], boolean)} started
 * from the same point (the previous refresh's {@link CoxFit#warmStart()}; β = 0 after a change of levels
 * or after a fit with a diverging or aliased term) to 1e-10, and a fit from β = 0 to the convergence
 * tolerance R's rule leaves (coefficients and SEs 1e-6, see {@code CoxFitAgreement}).
 *
 * <p>More than two levels ({@link ManyGroups}): curves as above; the log-rank sums and the Cox terms at
 * β = 0 and at the last β a pass over all days evaluated (the anchor) are kept per {@link DayBlocks}
 * block and redone only for the blocks whose days' counts changed; Newton, warm-started at the
 * anchor, then needs one pass over all days (O(days × levels²)) for its step. The log-rank test and
 * the Cox null log-likelihood and score test equal the from-scratch ones bit for bit, the fit
 * likewise from the same start. Not thread-safe.
 */
public final class IncrementalAnalysis {

    private final IncrementalCounts counts;
    private final ConfType bandType;
    private final double bandLevel;
    private final double z;
    private final Cox.Ties ties;

    private AnalysisResult last;
    /** Internal group indices at the last refresh (level order), their sizes and labels. */
    private int[] present = new int[0];
    private int[] sizes = new int[0];
    private String[] names = new String[0];

    /** Distinct days of the analysis ascending (all levels), and the previous list while remapping. */
    private int dayCount;
    private int[] days = new int[0];
    private int[] previousDays = new int[0];
    /** Per present level and day index: events, censorings, at risk. */
    private int[][] events = new int[0][];
    private int[][] censored = new int[0][];
    private int[][] atRisk = new int[0][];
    private GroupCurve[] curves = new GroupCurve[0];
    private TwoGroups pair;
    private ManyGroups many;
    private double[] warmStart;

    /** Natural level order, log 95% bands, Efron Cox. */
    public IncrementalAnalysis() {
        this(Comparator.naturalOrder(), ConfType.LOG, KaplanMeierCurve.DEFAULT_LEVEL, Cox.Ties.EFRON);
    }

    /**
     * @param levelOrder order of the group levels (the first present one is the reference)
     * @param bandType   confidence band of the curves
     * @param bandLevel  its level
     * @param ties       Cox tie handling, or null for no Cox model
     */
    public IncrementalAnalysis(Comparator<String> levelOrder, ConfType bandType, double bandLevel, Cox.Ties ties) {
        if (!(bandLevel > 0 && bandLevel < 1)) {
            throw new IllegalArgumentException("bandLevel must be in (0, 1)");
        }
        this.counts = new IncrementalCounts(levelOrder);
        this.bandType = bandType;
        this.bandLevel = bandLevel;
        this.z = KaplanMeier.zValue(bandLevel);
        this.ties = ties;
    }

    /**
     * Adds a record's contribution: O(1). The records are the caller's: a change is {@link #subtract} of what the
     * record was and {@code add} of what it is.
     */
    public void add(int day, boolean event, String group) {
        counts.add(day, event, group);
    }

    /** Takes back a contribution added before with the same arguments: O(1). */
    public void subtract(int day, boolean event, String group) {
        counts.subtract(day, event, group);
    }

    public int size() {
        return counts.size();
    }

    /** Snapshot of the counts (what a from-scratch computation starts from). */
    public GroupedCounts groupedCounts() {
        return counts.groupedCounts();
    }

    /** Every statistic up to date with the records put so far. */
    public AnalysisResult refresh() {
        if (last != null && !counts.hasChanges()) {
            return last;
        }
        int[] now = counts.presentGroups();
        int k = now.length;
        boolean structural = last == null || !Arrays.equals(now, present);
        if (structural) {
            reset(now);
        }
        // per level the days whose counts or n at risk may have moved: [from, to]
        int[] groupFrom = new int[k];
        int[] groupTo = new int[k];
        int fromDay = Integer.MAX_VALUE;
        int toDay = -1;
        for (int j = 0; j < k; j++) {
            int g = now[j];
            if (structural) {
                groupFrom[j] = Integer.MIN_VALUE;
                groupTo[j] = Integer.MAX_VALUE;
            } else {
                boolean resized = counts.groupSize(g) != sizes[j];
                groupFrom[j] = resized ? Integer.MIN_VALUE : counts.touchedFrom(g);
                groupTo[j] = counts.touchedTo(g);
            }
            fromDay = Math.min(fromDay, groupFrom[j]);
            toDay = Math.max(toDay, groupTo[j]);
        }
        int oldCount = dayCount;
        boolean shifted = structural || counts.daySetChanged();
        if (shifted) {
            int[] t = previousDays;
            previousDays = days;
            days = t.length >= counts.distinctDays() ? t : new int[grow(counts.distinctDays())];
            dayCount = counts.distinctDays();
            counts.occupiedDays(days);
            ensureDayCapacity(dayCount);
        }
        int from = lowerBound(days, dayCount, fromDay);
        int to = upperBound(days, dayCount, toDay);
        for (int j = 0; j < k; j++) {
            int g = now[j];
            if (shifted) {
                gather(j, g, from, dayCount);
            } else if (groupTo[j] >= 0) {
                gather(j, g, lowerBound(days, dayCount, groupFrom[j]), upperBound(days, dayCount, groupTo[j]));
            }
        }
        List<KaplanMeierCurve> curveList = new ArrayList<>(k);
        List<ConfidenceBand> bandList = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            if (groupTo[j] >= 0) {
                curves[j].update(days, dayCount, events[j], censored[j], counts.groupSize(now[j]), groupFrom[j],
                        groupTo[j], bandType, bandLevel, z);
            }
            curveList.add(curves[j].curve);
            bandList.add(curves[j].band);
        }
        LogRankTest logRank = null;
        CoxFit cox = null;
        if (k == 2) {
            pair.update(dayCount, from, to, shifted && !structural, previousDays, oldCount, days, atRisk[0],
                    atRisk[1], events[0], events[1]);
            int n0 = counts.groupSize(now[0]);
            int n1 = counts.groupSize(now[1]);
            logRank = pair.logRank(names, n0, n1);
            if (ties != null) {
                cox = Cox.fitCategorical(pair, n0 + n1, pair.events, names, ties, warmStart, null);
            }
        } else if (k > 2) {
            many.update(dayCount, from, shifted ? dayCount : to, atRisk, events);
            int[] n = new int[k];
            int records = 0;
            for (int j = 0; j < k; j++) {
                n[j] = counts.groupSize(now[j]);
                records += n[j];
            }
            logRank = many.logRank(names, n);
            if (ties != null) {
                cox = Cox.fitCategorical(many, records, many.events(), names, ties, warmStart, null);
            }
        }
        warmStart = cox != null && allEstimated(cox) ? cox.warmStart() : null;
        for (int j = 0; j < k; j++) {
            sizes[j] = counts.groupSize(now[j]);
        }
        counts.clearChanges();
        last = new AnalysisResult(List.of(names), curveList, bandList, logRank, cox);
        return last;
    }

    /**
     * Only an estimate is a good start: from a diverging iterate (|β| ~ 20) Newton's first step on
     * changed data can run anywhere, so such fits start again from β = 0, as R does.
     */
    static boolean allEstimated(CoxFit fit) {
        for (CoxFit.Term t : fit.terms()) {
            if (t.status() != CoxFit.TermStatus.ESTIMATED) {
                return false;
            }
        }
        return true;
    }

    /** The two-level Cox likelihood as the refresh evaluates it (null unless two levels with Cox); for tests. */
    CoxNewton.Likelihood coxLikelihood() {
        return pair != null && ties != null ? pair : null;
    }

    /** Evaluations answered by Taylor polynomials, and passes over all days (new anchors), so far; for tests. */
    long[] coxEvaluationPaths() {
        return pair == null ? new long[2] : new long[] {pair.taylorEvaluations, pair.anchorPasses};
    }

    /** A new set of levels: every per-level structure starts over. */
    private void reset(int[] now) {
        int k = now.length;
        present = now;
        sizes = new int[k];
        names = new String[k];
        for (int j = 0; j < k; j++) {
            names[j] = counts.groupName(now[j]);
        }
        int capacity = Math.max(days.length, 16);
        events = new int[k][capacity];
        censored = new int[k][capacity];
        atRisk = new int[k][capacity];
        curves = new GroupCurve[k];
        for (int j = 0; j < k; j++) {
            curves[j] = new GroupCurve();
        }
        pair = k == 2 ? new TwoGroups(ties == null ? null : new CoxTwoLevelDays(ties == Cox.Ties.EFRON, capacity))
                : null;
        many = k > 2 ? new ManyGroups(k, ties) : null;
        warmStart = null;
    }

    private void ensureDayCapacity(int n) {
        if (events.length > 0 && events[0].length >= n) {
            return;
        }
        int c = grow(n);
        for (int j = 0; j < events.length; j++) {
            events[j] = Arrays.copyOf(events[j], c);
            censored[j] = Arrays.copyOf(censored[j], c);
            atRisk[j] = Arrays.copyOf(atRisk[j], c);
        }
    }

    private static int grow(int n) {
        return Math.max(16, n + (n >> 1));
    }

    /** Level j's events, censorings and n at risk for day indices [a, b); the prefix before a is valid. */
    private void gather(int j, int g, int a, int b) {
        int[] byDayEvents = counts.eventsByDay(g);
        int[] byDayCensored = counts.censoredByDay(g);
        int[] ev = events[j];
        int[] ce = censored[j];
        int[] nr = atRisk[j];
        int n = a == 0 ? counts.groupSize(g) : nr[a - 1] - ev[a - 1] - ce[a - 1];
        for (int i = a; i < b; i++) {
            int day = days[i];
            int e = byDayEvents[day];
            int c = byDayCensored[day];
            ev[i] = e;
            ce[i] = c;
            nr[i] = n;
            n -= e + c;
        }
    }

    /** First index in a[0, n) with a[i] ≥ x (a ascending). */
    static int lowerBound(int[] a, int n, long x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index in a[0, n) with a[i] &gt; x. */
    static int upperBound(int[] a, int n, long x) {
        return x >= Integer.MAX_VALUE ? n : lowerBound(a, n, x + 1);
    }

    /** First index of a with a[i] &gt; x. */
    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index of a with a[i] ≥ x. */
    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * One level's curve and band, with what the recursion resumes from: per row its increments
     * (unchanged where n at risk and events are) and the running Greenwood and hazard-variance sums.
     */
    private static final class GroupCurve {
        KaplanMeierCurve curve;
        ConfidenceBand band;
        private double[] factor = new double[0];
        private double[] greenwoodTerm = new double[0];
        private double[] hazardTerm = new double[0];
        private double[] hazardVarTerm = new double[0];
        private double[] greenwood = new double[0];
        private double[] hazardVar = new double[0];

        /**
         * Brings the curve up to date after changes to this level's days in [fromDay, toDay] (fromDay
         * MIN_VALUE: the level's size changed, so n at risk moved on every earlier day too). Rows
         * before fromDay are the previous curve's; rows in the range are gathered from the counts; rows
         * after toDay keep their day, counts, n at risk and increments (copied) but, like every row
         * from fromDay on, get new estimates. The time column is shared with the previous curve when no
         * row came or went.
         */
        void update(int[] days, int dayCount, int[] ev, int[] ce, int size, int fromDay, int toDay, ConfType type,
                    double level, double z) {
            boolean first = curve == null;
            double[] oldTime = first ? null : curve.time().array();
            int oldRows = first ? 0 : oldTime.length;
            int keep = first || fromDay == Integer.MIN_VALUE ? 0 : lowerBound(oldTime, fromDay);
            int oldEnd = first ? 0 : upperBound(oldTime, toDay);
            int start = fromDay == Integer.MIN_VALUE ? 0 : lowerBound(days, dayCount, fromDay);
            int end = upperBound(days, dayCount, toDay);
            int inRange = 0;
            boolean sameTimes = !first;
            for (int i = start; i < end; i++) {
                if (ev[i] + ce[i] > 0) {
                    int old = keep + inRange;
                    sameTimes &= old < oldEnd && oldTime[old] == days[i];
                    inRange++;
                }
            }
            sameTimes &= keep + inRange == oldEnd;
            int tail = oldRows - oldEnd;
            int rangeEnd = keep + inRange;
            int rows = rangeEnd + tail;
            double[] time = sameTimes ? oldTime : new double[rows];
            int[] nRisk = new int[rows];
            int[] nEvent = new int[rows];
            int[] nCensor = new int[rows];
            double[] surv = new double[rows];
            double[] stdErr = new double[rows];
            double[] cumHaz = new double[rows];
            double[] stdCumHaz = new double[rows];
            double[] lower = new double[rows];
            double[] upper = new double[rows];
            if (factor.length < rows) {
                int c = grow(rows);
                factor = Arrays.copyOf(factor, c);
                greenwoodTerm = Arrays.copyOf(greenwoodTerm, c);
                hazardTerm = Arrays.copyOf(hazardTerm, c);
                hazardVarTerm = Arrays.copyOf(hazardVarTerm, c);
                greenwood = Arrays.copyOf(greenwood, c);
                hazardVar = Arrays.copyOf(hazardVar, c);
            }
            if (!first) {
                if (!sameTimes) {
                    System.arraycopy(oldTime, 0, time, 0, keep);
                    System.arraycopy(oldTime, oldEnd, time, rangeEnd, tail);
                }
                int[] oldRisk = curve.nRisk().array();
                int[] oldEvents = curve.nEvent().array();
                int[] oldCensored = curve.nCensor().array();
                System.arraycopy(oldRisk, 0, nRisk, 0, keep);
                System.arraycopy(oldRisk, oldEnd, nRisk, rangeEnd, tail);
                System.arraycopy(oldEvents, 0, nEvent, 0, keep);
                System.arraycopy(oldEvents, oldEnd, nEvent, rangeEnd, tail);
                System.arraycopy(oldCensored, 0, nCensor, 0, keep);
                System.arraycopy(oldCensored, oldEnd, nCensor, rangeEnd, tail);
                System.arraycopy(curve.surv().array(), 0, surv, 0, keep);
                System.arraycopy(curve.stdErr().array(), 0, stdErr, 0, keep);
                System.arraycopy(curve.cumHaz().array(), 0, cumHaz, 0, keep);
                System.arraycopy(curve.stdCumHaz().array(), 0, stdCumHaz, 0, keep);
                System.arraycopy(band.lower().array(), 0, lower, 0, keep);
                System.arraycopy(band.upper().array(), 0, upper, 0, keep);
                if (rangeEnd != oldEnd) {
                    // the tail's increments move with it
                    System.arraycopy(factor, oldEnd, factor, rangeEnd, tail);
                    System.arraycopy(greenwoodTerm, oldEnd, greenwoodTerm, rangeEnd, tail);
                    System.arraycopy(hazardTerm, oldEnd, hazardTerm, rangeEnd, tail);
                    System.arraycopy(hazardVarTerm, oldEnd, hazardVarTerm, rangeEnd, tail);
                }
            }
            int r = keep;
            for (int i = start; i < end; i++) {
                int e = ev[i];
                int c = ce[i];
                if (e + c > 0) {
                    time[r] = days[i];
                    nEvent[r] = e;
                    nCensor[r] = c;
                    r++;
                }
            }
            int atRisk = keep == 0 ? size : nRisk[keep - 1] - nEvent[keep - 1] - nCensor[keep - 1];
            KaplanMeier.fillRisk(nRisk, nEvent, nCensor, keep, rangeEnd, atRisk);
            KaplanMeier.rowIncrements(nRisk, nEvent, keep, rangeEnd, factor, greenwoodTerm, hazardTerm, hazardVarTerm);
            if (keep == 0) {
                KaplanMeier.accumulateRows(factor, greenwoodTerm, hazardTerm, hazardVarTerm, 0, rows, 1.0, 0.0, 0.0,
                        0.0, surv, stdErr, cumHaz, stdCumHaz, greenwood, hazardVar);
            } else {
                int p = keep - 1;
                KaplanMeier.accumulateRows(factor, greenwoodTerm, hazardTerm, hazardVarTerm, keep, rows, surv[p],
                        greenwood[p], cumHaz[p], hazardVar[p], surv, stdErr, cumHaz, stdCumHaz, greenwood, hazardVar);
            }
            KaplanMeier.fillBand(type, z, surv, stdErr, keep, rows, lower, upper);
            curve = new KaplanMeierCurve(sameTimes ? curve.time() : DoubleColumn.wrap(time), IntColumn.wrap(nRisk),
                    IntColumn.wrap(nEvent), IntColumn.wrap(nCensor), DoubleColumn.wrap(surv), DoubleColumn.wrap(stdErr),
                    DoubleColumn.wrap(cumHaz), DoubleColumn.wrap(stdCumHaz));
            band = new ConfidenceBand(type, level, DoubleColumn.wrap(lower), DoubleColumn.wrap(upper));
        }
    }

    /**
     * Two levels: per-day log-rank terms and Cox terms (at β = 0, and at an anchor β with the third to
     * fifth derivatives there) for the counts each day had when they were computed, and their sums per
     * {@link DayBlocks}. As a {@link CoxNewton.Likelihood} it answers β = 0 and the anchor from the sums,
     * a β near the anchor by Taylor polynomials when they are exact to rounding ({@link #withinTaylor}),
     * and any other β by a pass over all days that becomes the new anchor. With δ = β − anchor and K_n
     * the sums of the n-th Bernoulli cumulants over all pseudo risk sets (so ℓ^(n) = −K_n, n ≥ 2):
     * <pre>
     *   ℓ(β) = ℓ + U δ − I δ²/2 − K3 δ³/6 − K4 δ⁴/24 − K5 δ⁵/120
     *   U(β) = U − I δ − K3 δ²/2 − K4 δ³/6 − K5 δ⁴/24
     *   I(β) = I + K3 δ + K4 δ²/2 + K5 δ³/6
     * </pre>
     */
    private static final class TwoGroups implements CoxNewton.Likelihood {
        /** Per-day fields, interleaved (stride {@link #F}) so that a day's numbers share cache lines. */
        private static final int EXP_A = 0;
        private static final int EXP_B = 1;
        private static final int VAR = 2;
        private static final int ZERO_LL = 3;
        private static final int ZERO_U = 4;
        private static final int ZERO_I = 5;
        private static final int ANCHOR_LL = 6;
        private static final int ANCHOR_U = 7;
        private static final int ANCHOR_I = 8;
        private static final int K3 = 9;
        private static final int K4 = 10;
        private static final int K5 = 11;
        private static final int BOUND = 12;
        private static final int F = 13;
        /** Per-block sums: observed events of each level, then the per-day fields (stride {@link #B}). */
        private static final int OBS_A = 0;
        private static final int OBS_B = 1;
        private static final int B = 2 + F;

        private final CoxTwoLevelDays terms;
        private int count;
        private int blocks;
        /** The counts each day's terms were computed for, interleaved n0, n1, d0, d1 (n0 = −1: none). */
        private int[] counts = new int[0];
        private double[] day = new double[0];
        private double[] block = new double[0];
        private boolean[] dirty = new boolean[0];
        private double anchor = Double.NaN;
        private double anchorR = Double.NaN;
        /** Block sums added over blocks, in the block fields' layout; and room for one block's sums. */
        private final double[] total = new double[B];
        private final double[] sums = new double[B];
        int events;
        long taylorEvaluations;
        long anchorPasses;

        TwoGroups(CoxTwoLevelDays terms) {
            this.terms = terms;
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public double evaluate(double[] beta, double[] u, double[] imat) {
            double b = beta[0];
            if (b == 0.0) {
                u[0] = total[2 + ZERO_U];
                imat[0] = total[2 + ZERO_I];
                return total[2 + ZERO_LL];
            }
            double delta = b - anchor;
            if (delta != 0 && !withinTaylor(delta)) {
                reanchor(b);
                delta = 0;
            }
            double ll = total[2 + ANCHOR_LL];
            double uu = total[2 + ANCHOR_U];
            double ii = total[2 + ANCHOR_I];
            if (delta == 0) {
                u[0] = uu;
                imat[0] = ii;
                return ll;
            }
            taylorEvaluations++;
            double k3 = total[2 + K3];
            double k4 = total[2 + K4];
            double k5 = total[2 + K5];
            imat[0] = ii + delta * (k3 + delta * (k4 / 2 + delta * (k5 / 6)));
            u[0] = uu - delta * (ii + delta * (k3 / 2 + delta * (k4 / 6 + delta * (k5 / 24))));
            return ll + delta * uu - delta * delta * (ii / 2 + delta * (k3 / 6 + delta * (k4 / 24 + delta * (k5 / 120))));
        }

        /**
         * Whether the Taylor polynomials from the anchor are exact to rounding at anchor + δ: Lagrange's
         * remainder after the fifth derivative (|ℓ^(6)| ≤ 1/4 per tied death: the sixth cumulant of a
         * Bernoulli variable) plus the error of the per-day κ3..κ5 sums ({@link
         * CoxTwoLevelDays#higherOrder}), against 1e-13 of the information, 1e-13 of the number of
         * events for the score, and 2^-53 of the log-likelihood.
         */
        private boolean withinTaylor(double delta) {
            double info = total[2 + ANCHOR_I];
            if (!(info > 0) || !(Math.abs(delta) < 0.1)) {
                return false;
            }
            double a = Math.abs(delta);
            // the bound is summed without rounding control: pad it
            double b = total[2 + BOUND] * (1 + 1e-6);
            double dd = events;
            double errI = a * (2 * b + a * (6 * b + a * (50.0 / 6 * b + a * (dd / 96))));
            double errU = a * a * (b + a * (2 * b + a * (50.0 / 24 * b + a * (dd / 480))));
            double errL = a * a * a * (b / 3 + a * (b / 2 + a * (50.0 / 120 * b + a * (dd / 2880))));
            return errI <= 1e-13 * info && errU <= 1e-13 * dd
                    && errL <= 0x1p-53 * Math.abs(total[2 + ANCHOR_LL]);
        }

        /** Cox terms of every day at β, which becomes the anchor. */
        private void reanchor(double b) {
            anchorPasses++;
            anchor = b;
            anchorR = Math.exp(b);
            for (int i = 0; i < count; i++) {
                if (counts[4 * i + 2] + counts[4 * i + 3] > 0) {
                    anchorDay(i);
                }
            }
            for (int blk = 0; blk < blocks; blk++) {
                sumBlock(blk, ANCHOR_LL, F);
            }
            totals();
        }

        /**
         * Brings the per-day terms and block sums up to date: day indices [from, newCount) were
         * renumbered if {@code shifted}; counts may differ only on [from, to).
         */
        void update(int newCount, int from, int to, boolean shifted, int[] oldDays, int oldCount, int[] newDays,
                    int[] risk0, int[] risk1, int[] ev0, int[] ev1) {
            ensureCapacity(newCount);
            if (shifted) {
                remap(from, oldDays, oldCount, newDays, newCount);
            }
            count = newCount;
            blocks = DayBlocks.count(newCount);
            if (shifted) {
                Arrays.fill(dirty, from >>> DayBlocks.SHIFT, blocks, true);
            }
            int[] c = counts;
            for (int i = from; i < to; i++) {
                int a0 = risk0[i];
                int a1 = risk1[i];
                int e0 = ev0[i];
                int e1 = ev1[i];
                int at = 4 * i;
                if (c[at] != a0 || c[at + 1] != a1 || c[at + 2] != e0 || c[at + 3] != e1) {
                    setDay(i, a0, a1, e0, e1);
                    dirty[i >>> DayBlocks.SHIFT] = true;
                }
            }
            int lastField = anchor == anchor ? F : ANCHOR_LL;
            for (int blk = 0; blk < blocks; blk++) {
                if (dirty[blk]) {
                    sumBlock(blk, 0, lastField);
                    dirty[blk] = false;
                }
            }
            totals();
        }

        private void setDay(int i, int a0, int a1, int e0, int e1) {
            int at = 4 * i;
            counts[at] = a0;
            counts[at + 1] = a1;
            counts[at + 2] = e0;
            counts[at + 3] = e1;
            int d = e0 + e1;
            if (d == 0) {
                return;
            }
            int k = F * i;
            // the log-rank terms exactly as LogRank.accumulatePair computes them (rho = 0: w = 1)
            double w = 1.0;
            double nA = a0;
            double nB = a1;
            double n = nA + nB;
            double inverse = 1.0 / n;
            double share = w * d * inverse;
            day[k + EXP_A] = share * nA;
            day[k + EXP_B] = share * nB;
            day[k + VAR] = n > 1 ? LogRank.pairVariance(w, d, n, inverse, nA, nB) : 0.0;
            if (terms != null) {
                terms.set(i, a0, a1, e0, e1);
                day[k + ZERO_LL] = terms.evaluate(i, 0.0, 1.0);
                day[k + ZERO_U] = terms.score;
                day[k + ZERO_I] = terms.information;
                if (anchor == anchor) {
                    anchorDay(i);
                }
            }
        }

        private void anchorDay(int i) {
            int k = F * i;
            day[k + ANCHOR_LL] = terms.evaluate(i, anchor, anchorR);
            day[k + ANCHOR_U] = terms.score;
            day[k + ANCHOR_I] = terms.information;
            terms.higherOrder(i);
            day[k + K3] = terms.cumulant3;
            day[k + K4] = terms.cumulant4;
            day[k + K5] = terms.cumulant5;
            day[k + BOUND] = terms.higherBound;
        }

        /**
         * Sums of the days of block blk with deaths, per-day fields [first, last) (and the observed
         * events with the log-rank fields), in day order: the order of LogRank.accumulatePair and
         * CoxCounts.evaluate.
         */
        private void sumBlock(int blk, int first, int last) {
            int start = blk << DayBlocks.SHIFT;
            int end = Math.min(count, start + DayBlocks.SIZE);
            double[] sums = this.sums;
            Arrays.fill(sums, 0.0);
            for (int i = start; i < end; i++) {
                int e0 = counts[4 * i + 2];
                int e1 = counts[4 * i + 3];
                if (e0 + e1 > 0) {
                    sums[OBS_A] += 1.0 * e0;
                    sums[OBS_B] += 1.0 * e1;
                    int k = F * i;
                    for (int f = first; f < last; f++) {
                        sums[2 + f] += day[k + f];
                    }
                }
            }
            int at = B * blk;
            if (first == 0) {
                block[at + OBS_A] = sums[OBS_A];
                block[at + OBS_B] = sums[OBS_B];
            }
            System.arraycopy(sums, 2 + first, block, at + 2 + first, last - first);
        }

        private void totals() {
            Arrays.fill(total, 0.0);
            for (int blk = 0; blk < blocks; blk++) {
                int at = B * blk;
                for (int f = 0; f < B; f++) {
                    total[f] += block[at + f];
                }
            }
            events = (int) (total[OBS_A] + total[OBS_B]);
        }

        LogRankTest logRank(String[] names, int sizeA, int sizeB) {
            return LogRank.pairTest(names, sizeA, sizeB, total[OBS_A], total[OBS_B], total[2 + EXP_A],
                    total[2 + EXP_B], total[2 + VAR]);
        }

        private void ensureCapacity(int n) {
            int held = counts.length / 4;
            if (held >= n) {
                return;
            }
            int c = grow(n);
            counts = Arrays.copyOf(counts, 4 * c);
            for (int i = held; i < c; i++) {
                counts[4 * i] = -1;
            }
            day = Arrays.copyOf(day, F * c);
            if (terms != null) {
                terms.ensureCapacity(c);
            }
            int b = DayBlocks.count(c);
            dirty = Arrays.copyOf(dirty, b);
            block = Arrays.copyOf(block, B * b);
        }

        /**
         * Day indices from {@code from} on were renumbered (days appeared or vanished): each day keeps
         * its terms at its new index; a new day gets counts −1, so that {@link #update} computes it.
         */
        private void remap(int from, int[] oldDays, int oldCount, int[] newDays, int newCount) {
            int[] source = new int[Math.max(0, newCount - from)];
            int o = from;
            for (int i = from; i < newCount; i++) {
                int d = newDays[i];
                while (o < oldCount && oldDays[o] < d) {
                    o++;
                }
                source[i - from] = o < oldCount && oldDays[o] == d ? o : -1;
            }
            int[] newCounts = new int[counts.length];
            double[] newDay = new double[day.length];
            System.arraycopy(counts, 0, newCounts, 0, 4 * from);
            System.arraycopy(day, 0, newDay, 0, F * from);
            Arrays.fill(newCounts, 4 * from, newCounts.length, -1);
            for (int i = 0; i < source.length; i++) {
                int src = source[i];
                if (src >= 0) {
                    System.arraycopy(counts, 4 * src, newCounts, 4 * (from + i), 4);
                    System.arraycopy(day, F * src, newDay, F * (from + i), F);
                }
            }
            counts = newCounts;
            day = newDay;
            if (terms != null) {
                terms.remap(from, source);
            }
        }
    }

    /**
     * More than two levels: per {@link DayBlocks} block the log-rank sums ({@link LogRank#sumDays}) and the
     * Cox terms ({@link CoxCounts#sumDays}) at β = 0 and at the anchor, the β of the last pass over all
     * days. As a {@link CoxNewton.Likelihood} it answers β = 0 and the anchor from the block sums, and any
     * other β by a pass over all days that becomes the new anchor: a warm-started refresh evaluates at its
     * start (the anchor), one Newton step on (one pass) and at 0, so it costs one pass plus the changed
     * blocks. Totals are added block after block, as the from-scratch computations add them.
     */
    private static final class ManyGroups implements CoxNewton.Likelihood {
        private final int k;
        private final int dim;
        /** Whether Cox terms are kept (null ties: no Cox model), and with Efron's ties. */
        private final boolean cox;
        private final boolean efron;
        private final int logRankSize;
        private final int coxSize;
        private int blocks;
        private int dayCount;
        private final double[] logRankScratch;
        private final double[] coxScratch;
        private double[] logRankBlocks = new double[0];
        private double[] zeroBlocks = new double[0];
        private double[] anchorBlocks = new double[0];
        /** The counts the blocks were computed from, per level and day index (IncrementalAnalysis' arrays). */
        private int[][] atRisk;
        private int[][] deaths;
        private double[] anchor;
        private final double[] r;
        private final double[] zero;
        private int events;

        ManyGroups(int k, Cox.Ties ties) {
            this.k = k;
            this.dim = k - 1;
            this.cox = ties != null;
            this.efron = ties == Cox.Ties.EFRON;
            this.logRankSize = LogRank.blockSize(k);
            this.coxSize = CoxCounts.blockSize(dim);
            this.r = new double[k];
            this.zero = new double[dim];
            this.logRankScratch = new double[logRankSize];
            this.coxScratch = new double[coxSize];
        }

        /** Redoes the blocks holding day indices [from, to) of the dayCount days; the others' counts are unchanged. */
        void update(int dayCount, int from, int to, int[][] atRisk, int[][] deaths) {
            this.atRisk = atRisk;
            this.deaths = deaths;
            int newBlocks = DayBlocks.count(dayCount);
            if (newBlocks > logRankBlocks.length / logRankSize) {
                int c = grow(newBlocks);
                logRankBlocks = Arrays.copyOf(logRankBlocks, c * logRankSize);
                zeroBlocks = Arrays.copyOf(zeroBlocks, c * coxSize);
                anchorBlocks = Arrays.copyOf(anchorBlocks, c * coxSize);
            }
            blocks = newBlocks;
            this.dayCount = dayCount;
            int last = to > from ? (to - 1) >>> DayBlocks.SHIFT : -1;
            for (int blk = from >>> DayBlocks.SHIFT; blk <= last; blk++) {
                int start = blk << DayBlocks.SHIFT;
                int end = Math.min(dayCount, start + DayBlocks.SIZE);
                Arrays.fill(logRankScratch, 0.0);
                LogRank.sumDays(deaths, atRisk, k, start, end, null, logRankScratch);
                System.arraycopy(logRankScratch, 0, logRankBlocks, blk * logRankSize, logRankSize);
                if (cox) {
                    coxBlock(zeroBlocks, blk, zero);
                }
                if (anchor != null) {
                    coxBlock(anchorBlocks, blk, anchor);
                }
            }
            double[] observed = new double[k];
            for (int blk = 0; blk < blocks; blk++) {
                for (int g = 0; g < k; g++) {
                    observed[g] += logRankBlocks[blk * logRankSize + g];
                }
            }
            double total = 0;
            for (double o : observed) {
                total += o;
            }
            events = (int) total;
        }

        int events() {
            return events;
        }

        /** The Cox terms of block blk at β into target (as CoxCounts.evaluate sums a block). */
        private void coxBlock(double[] target, int blk, double[] beta) {
            r[0] = 1;
            for (int g = 1; g < k; g++) {
                r[g] = Math.exp(beta[g - 1]);
            }
            int start = blk << DayBlocks.SHIFT;
            Arrays.fill(coxScratch, 0.0);
            CoxCounts.sumDays(atRisk, deaths, k, start, Math.min(dayCount, start + DayBlocks.SIZE), beta, r, efron, coxScratch);
            System.arraycopy(coxScratch, 0, target, blk * coxSize, coxSize);
        }

        LogRankTest logRank(String[] names, int[] sizes) {
            double[] observed = new double[k];
            double[] expected = new double[k];
            double[] variance = new double[k * k];
            for (int blk = 0; blk < blocks; blk++) {
                System.arraycopy(logRankBlocks, blk * logRankSize, logRankScratch, 0, logRankSize);
                LogRank.addBlock(logRankScratch, k, observed, expected, variance);
            }
            return LogRank.fromTotals(names, sizes, observed, expected, variance);
        }

        @Override
        public int dimension() {
            return dim;
        }

        @Override
        public double evaluate(double[] beta, double[] u, double[] imat) {
            double[] source;
            if (Arrays.equals(beta, zero)) {
                source = zeroBlocks;
            } else {
                if (!Arrays.equals(beta, anchor)) {
                    anchor = beta.clone();
                    for (int blk = 0; blk < blocks; blk++) {
                        coxBlock(anchorBlocks, blk, anchor);
                    }
                }
                source = anchorBlocks;
            }
            Arrays.fill(u, 0.0);
            Arrays.fill(imat, 0.0);
            double loglik = 0;
            for (int blk = 0; blk < blocks; blk++) {
                System.arraycopy(source, blk * coxSize, coxScratch, 0, coxSize);
                loglik += CoxCounts.addBlock(coxScratch, dim, u, imat);
            }
            return loglik;
        }
    }
}
