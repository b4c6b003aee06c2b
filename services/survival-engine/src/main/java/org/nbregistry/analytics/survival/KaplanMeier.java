package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kaplan–Meier estimation and what R derives from the curve (survfit, summary.survfit,
 * quantile.survfit, print.survfit's rmean). At a tied time events come before censorings: records
 * censored at t are in the risk set at t.
 */
public final class KaplanMeier {

    /** R's default tolerance sqrt(.Machine$double.eps) in the median and quantile rules. */
    static final double R_TOLERANCE = 1.4901161193847656e-8;

    private KaplanMeier() {
    }

    /** Curve from counts per day; days with neither events nor censorings are skipped, as survfit never sees them. */
    public static KaplanMeierCurve fromCounts(int[] days, int[] events, int[] censored) {
        return estimate(days, new int[][] {events}, new int[][] {censored}, 0, 1, false);
    }

    /** Curve of all groups pooled (R: survfit(Surv(time, status) ~ 1)). */
    public static KaplanMeierCurve overall(GroupedCounts counts) {
        return estimate(counts.days(), counts.events(), counts.censored(), 0, counts.groupCount(), false);
    }

    /** Curve of one group (R: the g-th stratum of survfit(Surv(time, status) ~ group)). */
    public static KaplanMeierCurve forGroup(GroupedCounts counts, int group) {
        return estimate(counts.days(), counts.events(), counts.censored(), group, group + 1, false);
    }

    public static KaplanMeierCurve[] byGroup(GroupedCounts counts) {
        KaplanMeierCurve[] curves = new KaplanMeierCurve[counts.groupCount()];
        for (int g = 0; g < curves.length; g++) {
            curves[g] = forGroup(counts, g);
        }
        return curves;
    }

    /** Reverse Kaplan–Meier of the pooled groups: censoring is the event (R: survfit(Surv(time, 1 - status) ~ 1)). */
    public static KaplanMeierCurve reverse(GroupedCounts counts) {
        return estimate(counts.days(), counts.events(), counts.censored(), 0, counts.groupCount(), true);
    }

    /** Reverse Kaplan–Meier of one group. */
    public static KaplanMeierCurve reverse(GroupedCounts counts, int group) {
        return estimate(counts.days(), counts.events(), counts.censored(), group, group + 1, true);
    }

    /** Median follow-up: the median of the reverse Kaplan–Meier curve, with its CI (Schemper &amp; Smith 1996). */
    public static MedianEstimate medianFollowUp(GroupedCounts counts, ConfType type, double level) {
        return reverse(counts).median(type, level);
    }

    /** Median follow-up of one group. */
    public static MedianEstimate medianFollowUp(GroupedCounts counts, int group, ConfType type, double level) {
        return reverse(counts, group).median(type, level);
    }

    /**
     * Product-limit estimate S = prod (1 - d/n) (Kaplan &amp; Meier 1958), Greenwood variance of -log S
     * sum d/(n(n-d)) (Greenwood 1926), Nelson–Aalen H = sum d/n with variance sum d/n^2; counts summed over
     * groups [from, to). {@code reversed} swaps events and censorings, for the reverse Kaplan–Meier.
     */
    private static KaplanMeierCurve estimate(int[] days, int[][] events, int[][] censored, int from, int to,
                                             boolean reversed) {
        int[][] ev = reversed ? censored : events;
        int[][] ce = reversed ? events : censored;
        int rows = 0;
        int total = 0;
        for (int i = 0; i < days.length; i++) {
            int m = 0;
            for (int g = from; g < to; g++) {
                m += ev[g][i] + ce[g][i];
            }
            if (m > 0) {
                rows++;
                total += m;
            }
        }
        double[] time = new double[rows];
        int[] nRisk = new int[rows];
        int[] nEvent = new int[rows];
        int[] nCensor = new int[rows];
        int r = 0;
        for (int i = 0; i < days.length; i++) {
            int d = 0;
            int c = 0;
            for (int g = from; g < to; g++) {
                d += ev[g][i];
                c += ce[g][i];
            }
            if (d + c > 0) {
                time[r] = days[i];
                nEvent[r] = d;
                nCensor[r] = c;
                r++;
            }
        }
        double[] surv = new double[rows];
        double[] stdErr = new double[rows];
        double[] cumHaz = new double[rows];
        double[] stdCumHaz = new double[rows];
        double[][] increments = new double[4][rows];
        fillRisk(nRisk, nEvent, nCensor, 0, rows, total);
        rowIncrements(nRisk, nEvent, 0, rows, increments[0], increments[1], increments[2], increments[3]);
        accumulateRows(increments[0], increments[1], increments[2], increments[3], 0, rows, 1.0, 0.0, 0.0, 0.0, surv,
                stdErr, cumHaz, stdCumHaz, new double[rows], new double[rows]);
        return new KaplanMeierCurve(DoubleColumn.wrap(time), IntColumn.wrap(nRisk), IntColumn.wrap(nEvent),
                IntColumn.wrap(nCensor), DoubleColumn.wrap(surv), DoubleColumn.wrap(stdErr), DoubleColumn.wrap(cumHaz),
                DoubleColumn.wrap(stdCumHaz));
    }

    /*
     * The product-limit recursion in three steps, shared by estimate() and the incremental refresh (which
     * redoes the first two only where counts changed), so both give the same bits.
     */

    /** n.risk for rows [from, to), {@code atRisk} records at risk at row from (censored at t are at risk at t). */
    static void fillRisk(int[] nRisk, int[] nEvent, int[] nCensor, int from, int to, int atRisk) {
        for (int r = from; r < to; r++) {
            nRisk[r] = atRisk;
            atRisk -= nEvent[r] + nCensor[r];
        }
    }

    /**
     * Each row's increments: the factor of S, (n−d)/n, and the terms d/(n(n−d)), d/n and d/n² added to
     * the Greenwood sum, to H and to its variance (one division serves all: q = 1/(n(n−d)), 1/n =
     * (n−d)q). A row without events has 1, 0, 0, 0; a row where everyone at risk dies 0, +∞, 1, 1/n (S
     * drops to 0, its Greenwood variance is infinite).
     */
    static void rowIncrements(int[] nRisk, int[] nEvent, int from, int to, double[] factor, double[] greenwoodTerm,
                              double[] hazardTerm, double[] hazardVarTerm) {
        for (int r = from; r < to; r++) {
            int d = nEvent[r];
            int atRisk = nRisk[r];
            if (d == 0) {
                factor[r] = 1.0;
                greenwoodTerm[r] = 0.0;
                hazardTerm[r] = 0.0;
                hazardVarTerm[r] = 0.0;
            } else if (atRisk > d) {
                double n = atRisk;
                double q = 1.0 / (n * (n - d));
                double inverse = (n - d) * q;
                factor[r] = (n - d) * inverse;
                greenwoodTerm[r] = d * q;
                hazardTerm[r] = d * inverse;
                hazardVarTerm[r] = d * inverse * inverse;
            } else {
                factor[r] = 0.0;
                greenwoodTerm[r] = Double.POSITIVE_INFINITY;
                hazardTerm[r] = 1.0;
                hazardVarTerm[r] = 1.0 / atRisk;
            }
        }
    }

    /**
     * S, the Greenwood sum, H and its variance over rows [from, to), from their values before row from
     * (Kaplan &amp; Meier 1958; Greenwood 1926; Nelson–Aalen); the running sums go to {@code greenwoodSums}
     * and {@code hazardVarSums} (what the incremental refresh resumes from), and the standard errors are
     * their square roots row by row (sums that do not move at censor-only rows: neither do the errors),
     * in loops of their own.
     */
    static void accumulateRows(double[] factor, double[] greenwoodTerm, double[] hazardTerm, double[] hazardVarTerm,
                               int from, int to, double s, double greenwood, double hazard, double hazardVar,
                               double[] surv, double[] stdErr, double[] cumHaz, double[] stdCumHaz,
                               double[] greenwoodSums, double[] hazardVarSums) {
        for (int r = from; r < to; r++) {
            s *= factor[r];
            greenwood += greenwoodTerm[r];
            hazard += hazardTerm[r];
            hazardVar += hazardVarTerm[r];
            surv[r] = s;
            cumHaz[r] = hazard;
            greenwoodSums[r] = greenwood;
            hazardVarSums[r] = hazardVar;
        }
        for (int r = from; r < to; r++) {
            stdErr[r] = Math.sqrt(greenwoodSums[r]);
        }
        for (int r = from; r < to; r++) {
            stdCumHaz[r] = Math.sqrt(hazardVarSums[r]);
        }
    }

    /** Two-sided normal quantile for a confidence level, z = qnorm(1 - (1 - level)/2). */
    static double zValue(double level) {
        return Distributions.normalQuantile(1.0 - (1.0 - level) / 2.0);
    }

    /** Pointwise limits as R's survfit_confint with logse = TRUE and the upper limit clipped at 1. */
    public static ConfidenceBand confidenceBand(KaplanMeierCurve curve, ConfType type, double level) {
        int rows = curve.size();
        double[] lower = new double[rows];
        double[] upper = new double[rows];
        fillBand(type, zValue(level), curve.surv().array(), curve.stdErr().array(), 0, rows, lower, upper);
        return new ConfidenceBand(type, level, DoubleColumn.wrap(lower), DoubleColumn.wrap(upper));
    }

    /**
     * Limits for rows [from, to) (z = the normal quantile). The log type reuses exp(z·se) while se stays
     * the same (it only moves at event times), so a range that starts mid-curve takes its factor from
     * the row before. Shared by {@link #confidenceBand} and the incremental refresh.
     */
    static void fillBand(ConfType type, double z, double[] surv, double[] se, int from, int to, double[] lower,
                         double[] upper) {
        switch (type) {
            case LOG -> {
                double lastSe = from == 0 ? 0.0 : se[from - 1];
                double factor = from == 0 ? 1.0 : Math.exp(z * lastSe);
                for (int i = from; i < to; i++) {
                    double s = surv[i];
                    double e = se[i];
                    if (e != lastSe) {
                        factor = Math.exp(z * e);
                        lastSe = e;
                    }
                    if (s == 0) {
                        lower[i] = Double.NaN;
                        upper[i] = Double.NaN;
                    } else {
                        lower[i] = s / factor;
                        upper[i] = Math.min(s * factor, 1.0);
                    }
                }
            }
            case LOG_LOG -> {
                for (int i = from; i < to; i++) {
                    double s = surv[i];
                    if (s == 0 || s == 1) {
                        lower[i] = Double.NaN;
                        upper[i] = Double.NaN;
                    } else {
                        double minusLog = -Math.log(s);
                        double factor = Math.exp(z * se[i] / minusLog);
                        lower[i] = Math.exp(-minusLog * factor);
                        upper[i] = Math.exp(-minusLog / factor);
                    }
                }
            }
            case PLAIN -> {
                for (int i = from; i < to; i++) {
                    double s = surv[i];
                    double half = z * se[i] * s;
                    lower[i] = Math.max(s - half, 0.0);
                    upper[i] = Math.min(s + half, 1.0);
                    if (Double.isNaN(half)) {
                        lower[i] = Double.NaN;
                        upper[i] = Double.NaN;
                    }
                }
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
    }

    /**
     * S at the requested times (R: summary(fit, times, extend = TRUE)): the curve's value at the last
     * time at or before t, n at risk at t and events up to t; not estimable beyond the last follow-up.
     */
    public static List<SurvivalAt> survivalAt(KaplanMeierCurve curve, double[] times, ConfidenceBand band) {
        List<SurvivalAt> out = new ArrayList<>(times.length);
        int rows = curve.size();
        DoubleColumn time = curve.time();
        for (double t : times) {
            if (rows == 0 || t > curve.maxTime()) {
                out.add(new SurvivalAt(t, 0, curve.totalEvents(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        false));
                continue;
            }
            int last = -1;
            int events = 0;
            while (last + 1 < rows && time.get(last + 1) <= t) {
                last++;
                events += curve.nEvent().get(last);
            }
            // at risk at t: the first row at or after t
            int firstAtOrAfter = last >= 0 && time.get(last) == t ? last : last + 1;
            int nRisk = firstAtOrAfter < rows ? curve.nRisk().get(firstAtOrAfter) : 0;
            if (last < 0) {
                out.add(new SurvivalAt(t, nRisk, 0, 1.0, 0.0, 1.0, 1.0, true));
            } else {
                out.add(new SurvivalAt(t, nRisk, events, curve.surv().get(last), curve.stdErrSurv(last),
                        band.lower().get(last), band.upper().get(last), true));
            }
        }
        return out;
    }

    /**
     * Median and its CI as R's print/summary table (survmean's rule): the first time the curve (or a
     * limit of the band) is at or below 1/2; where it sits at exactly 1/2, the midpoint to the next drop.
     */
    public static MedianEstimate median(KaplanMeierCurve curve, ConfidenceBand band) {
        return new MedianEstimate(firstAtOrBelowHalf(curve.time(), curve.surv()),
                firstAtOrBelowHalf(curve.time(), band.lower()), firstAtOrBelowHalf(curve.time(), band.upper()));
    }

    private static double firstAtOrBelowHalf(DoubleColumn time, DoubleColumn y) {
        int rows = y.size();
        int first = -1;
        for (int i = 0; i < rows; i++) {
            double v = y.get(i);
            if (!Double.isNaN(v) && v < 0.5 + R_TOLERANCE) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return Double.NaN;
        }
        double v1 = y.get(first);
        if (Math.abs(v1 - 0.5) < R_TOLERANCE) {
            for (int j = first + 1; j < rows; j++) {
                if (y.get(j) < v1) {
                    return (time.get(first) + time.get(j)) / 2.0;
                }
            }
        }
        return time.get(first);
    }

    /**
     * Quantiles as R's quantile.survfit (findq): on the distribution 1 - S with the curve's start
     * prepended, the first time it reaches p within a tolerance, the midpoint of a flat stretch at
     * exactly p, and the band's crossings for the limits.
     */
    public static QuantileEstimates quantiles(KaplanMeierCurve curve, double[] probs, ConfidenceBand band) {
        int rows = curve.size();
        double[] x = new double[rows + 1];
        double[] yS = new double[rows + 1];
        double[] yLower = new double[rows + 1];
        double[] yUpper = new double[rows + 1];
        for (int i = 0; i < rows; i++) {
            x[i + 1] = curve.time().get(i);
            yS[i + 1] = 1.0 - curve.surv().get(i);
            // the lower survival limit reaches p first, so it gives the lower quantile limit
            yLower[i + 1] = 1.0 - band.lower().get(i);
            yUpper[i + 1] = 1.0 - band.upper().get(i);
        }
        return new QuantileEstimates(DoubleColumn.of(probs), DoubleColumn.wrap(findQuantiles(x, yS, probs)),
                DoubleColumn.wrap(findQuantiles(x, yLower, probs)), DoubleColumn.wrap(findQuantiles(x, yUpper, probs)));
    }

    /** R's survival:::findq on (x, y) with y a (possibly NaN-holed) distribution function starting at 0. */
    static double[] findQuantiles(double[] x, double[] y, double[] probs) {
        double[] out = new double[probs.length];
        double maxY = Double.NEGATIVE_INFINITY;
        double minP = Double.POSITIVE_INFINITY;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                maxY = Math.max(maxY, v);
            }
        }
        for (double p : probs) {
            minP = Math.min(minP, p);
        }
        if (maxY < minP) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        boolean[] duplicate = duplicates(y);
        int lastKept = y.length - 1;
        while (duplicate[lastKept]) {
            lastKept--;
        }
        double xMax = x[x.length - 1];
        for (int k = 0; k < probs.length; k++) {
            double p = probs[k];
            int i1 = smallestKeyAtLeast(y, duplicate, R_TOLERANCE, p);
            int i2 = smallestKeyAtLeast(y, duplicate, -R_TOLERANCE, p);
            double q = i1 < 0 || i2 < 0 ? Double.NaN : (x[i1] + x[i2]) / 2.0;
            if (p == 0) {
                q = x[0];
            }
            double yLast = y[lastKept];
            if (!Double.isNaN(yLast) && Math.abs(p - yLast) < R_TOLERANCE) {
                q = i1 < 0 ? Double.NaN : (x[i1] + xMax) / 2.0;
            }
            out[k] = q;
        }
        return out;
    }

    /**
     * R's approx(y + shift, index, p, method = "constant", f = 1) over the non-duplicate, non-NaN
     * points: the point with the smallest key at least p, or -1 when p is outside the keys' range.
     */
    private static int smallestKeyAtLeast(double[] y, boolean[] duplicate, double shift, double p) {
        double minKey = Double.POSITIVE_INFINITY;
        double maxKey = Double.NEGATIVE_INFINITY;
        double bestKey = Double.POSITIVE_INFINITY;
        int best = -1;
        for (int i = 0; i < y.length; i++) {
            if (duplicate[i] || Double.isNaN(y[i])) {
                continue;
            }
            double key = y[i] + shift;
            minKey = Math.min(minKey, key);
            maxKey = Math.max(maxKey, key);
            if (key >= p && key < bestKey) {
                bestKey = key;
                best = i;
            }
        }
        return p < minKey || p > maxKey ? -1 : best;
    }

    /** R's duplicated(y): a value (NaN included) already seen earlier in the vector. */
    private static boolean[] duplicates(double[] y) {
        boolean[] dup = new boolean[y.length];
        boolean monotone = true;
        double previous = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (!Double.isNaN(v)) {
                if (v < previous) {
                    monotone = false;
                    break;
                }
                previous = v;
            }
        }
        if (monotone) {
            // equal values are adjacent once NaNs are skipped
            boolean seenNaN = false;
            double last = Double.NaN;
            for (int i = 0; i < y.length; i++) {
                if (Double.isNaN(y[i])) {
                    dup[i] = seenNaN;
                    seenNaN = true;
                } else {
                    dup[i] = y[i] == last;
                    last = y[i];
                }
            }
            return dup;
        }
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < y.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(y[a], y[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int k = 1; k < order.length; k++) {
            if (Double.compare(y[order[k]], y[order[k - 1]]) == 0) {
                dup[order[k]] = true;
            }
        }
        return dup;
    }

    /**
     * Restricted mean survival time, the area under S from 0 to tau (S flat after the last time), with
     * R's se(rmean): sqrt(sum over event times t_j of A_j^2 d_j / (n_j (n_j - d_j))), A_j the area after t_j.
     */
    public static Rmst rmst(KaplanMeierCurve curve, double tau) {
        int rows = curve.size();
        DoubleColumn time = curve.time();
        DoubleColumn surv = curve.surv();
        int kept = 0;
        while (kept < rows && time.get(kept) <= tau) {
            kept++;
        }
        double area = 0.0;
        double prevTime = 0.0;
        double prevSurv = 1.0;
        for (int i = 0; i < kept; i++) {
            area += (time.get(i) - prevTime) * prevSurv;
            prevTime = time.get(i);
            prevSurv = surv.get(i);
        }
        double tail = (tau - prevTime) * prevSurv;
        area += tail;
        // backward pass: after[j] = area from t_j to tau
        double after = tail;
        double variance = 0.0;
        for (int j = kept - 1; j >= 0; j--) {
            int n = curve.nRisk().get(j);
            int d = curve.nEvent().get(j);
            if (d > 0 && n > d) {
                variance += after * after * d / ((double) n * (n - d));
            }
            double start = j == 0 ? 0.0 : time.get(j - 1);
            double height = j == 0 ? 1.0 : surv.get(j - 1);
            after += (time.get(j) - start) * height;
        }
        return new Rmst(tau, area, Math.sqrt(variance));
    }
}
