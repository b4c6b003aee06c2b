package org.nbregistry.analytics.survival;

/**
 * Survival at a requested time, as R's summary(fit, times =) reports it, except beyond the last
 * follow-up: R repeats the last value there, we report it as not estimable (NaN, {@code estimable} false).
 *
 * @param nRisk        at risk at {@code time} (0 beyond the last follow-up)
 * @param nEventCum    events at or before {@code time}
 * @param stdErrSurv   Greenwood standard error of S
 */
public record SurvivalAt(double time, int nRisk, int nEventCum, double surv, double stdErrSurv,
                         double lower, double upper, boolean estimable) {
}
