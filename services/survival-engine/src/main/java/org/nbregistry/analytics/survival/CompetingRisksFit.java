package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.List;

/**
 * Aalen–Johansen cumulative incidence per cause, one row per distinct time (event or censoring) of
 * the sample, as R's survfit(Surv(time, factor(status)) ~ 1) reports it: pstate, its
 * infinitesimal-jackknife standard error (std.err) and pointwise confidence limits (conf.type).
 *
 * @param n        records
 * @param time     distinct times, ascending
 * @param nRisk    at risk (event-free and under observation) just before each time
 * @param nCensor  censored at each time
 * @param causes   one curve per cause, in cause-code order
 * @param confType transform of the confidence limits (R's default for these curves is log)
 * @param level    confidence level
 */
public record CompetingRisksFit(int n, DoubleColumn time, IntColumn nRisk, IntColumn nCensor, List<Cause> causes,
                                ConfType confType, double level) {

    public CompetingRisksFit {
        causes = List.copyOf(causes);
    }

    /**
     * The cumulative incidence of one cause.
     *
     * @param code   cause code (status value)
     * @param nEvent events of this cause at each time
     * @param cif    cumulative incidence (R's pstate for the cause's state)
     * @param stdErr infinitesimal-jackknife standard error of cif (R's std.err)
     * @param lower  lower confidence limit, NaN where R gives NA (cif = 0 for log)
     * @param upper  upper confidence limit
     */
    public record Cause(int code, IntColumn nEvent, DoubleColumn cif, DoubleColumn stdErr, DoubleColumn lower,
                        DoubleColumn upper) {
    }

    /**
     * Cumulative incidence at a requested time, as R's summary(fit, times =, extend = TRUE) gives it,
     * except beyond the last follow-up: R repeats the last value there, we report it as not estimable
     * (NaN, {@code estimable} false). Before the first time the incidence is 0 with SE 0 and limits 0.
     */
    public record At(double time, double cif, double stdErr, double lower, double upper, boolean estimable) {
    }

    public int size() {
        return time.size();
    }

    /** The curve of a cause code. */
    public Cause cause(int code) {
        for (Cause c : causes) {
            if (c.code() == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("no cause " + code);
    }

    /** Last follow-up time; NaN for an empty sample. */
    public double maxTime() {
        return size() == 0 ? Double.NaN : time.get(size() - 1);
    }

    /** Cumulative incidence of a cause at each requested time (see {@link At}). */
    public List<At> at(int code, double... times) {
        Cause c = cause(code);
        List<At> out = new ArrayList<>(times.length);
        for (double t : times) {
            if (size() == 0 || t > maxTime()) {
                out.add(new At(t, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false));
                continue;
            }
            int i = lastAtOrBefore(t);
            if (i < 0) {
                out.add(new At(t, 0, 0, 0, 0, true));
            } else {
                out.add(new At(t, c.cif().get(i), c.stdErr().get(i), c.lower().get(i), c.upper().get(i), true));
            }
        }
        return out;
    }

    private int lastAtOrBefore(double t) {
        int lo = 0;
        int hi = size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (time.get(mid) <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
