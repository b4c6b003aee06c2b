package org.nbregistry.analytics.survival;

import java.util.List;

/**
 * A Kaplan–Meier curve with Greenwood variance and the Nelson–Aalen cumulative hazard, one row per
 * distinct time with an event or a censoring (R's survfit object: time, n.risk, n.event, n.censor,
 * surv, std.err, cumhaz, std.chaz).
 *
 * @param stdErr    Greenwood standard error of -log S, sqrt(sum d / (n (n - d))); +Inf once S reaches 0
 * @param cumHaz    Nelson–Aalen cumulative hazard, sum d / n
 * @param stdCumHaz its standard error, sqrt(sum d / n^2)
 */
public record KaplanMeierCurve(DoubleColumn time, IntColumn nRisk, IntColumn nEvent, IntColumn nCensor,
                               DoubleColumn surv, DoubleColumn stdErr, DoubleColumn cumHaz, DoubleColumn stdCumHaz) {

    public static final double DEFAULT_LEVEL = 0.95;

    public int size() {
        return time.size();
    }

    /** Number of records the curve starts with. */
    public int n() {
        return size() == 0 ? 0 : nRisk.get(0);
    }

    public int totalEvents() {
        int d = 0;
        for (int i = 0; i < size(); i++) {
            d += nEvent.get(i);
        }
        return d;
    }

    /** Last follow-up time (event or censoring); NaN for an empty curve. */
    public double maxTime() {
        return size() == 0 ? Double.NaN : time.get(size() - 1);
    }

    /** Greenwood standard error of S at row i, S * std.err as R's summary reports it (NaN where S = 0). */
    public double stdErrSurv(int i) {
        return surv.get(i) * stdErr.get(i);
    }

    public ConfidenceBand band(ConfType type, double level) {
        return KaplanMeier.confidenceBand(this, type, level);
    }

    public ConfidenceBand band() {
        return band(ConfType.LOG, DEFAULT_LEVEL);
    }

    public List<SurvivalAt> survivalAt(double[] times, ConfType type, double level) {
        return KaplanMeier.survivalAt(this, times, band(type, level));
    }

    public MedianEstimate median(ConfType type, double level) {
        return KaplanMeier.median(this, band(type, level));
    }

    public QuantileEstimates quantiles(double[] probs, ConfType type, double level) {
        return KaplanMeier.quantiles(this, probs, band(type, level));
    }

    public Rmst rmst(double tau) {
        return KaplanMeier.rmst(this, tau);
    }
}
