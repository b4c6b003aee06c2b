package org.nbregistry.analytics.survival;

/**
 * Options of a per-record Cox fit.
 *
 * @param ties      Efron (R's default) or Breslow
 * @param robust    sandwich variance (R's robust = TRUE); implied when the data carry cluster codes
 * @param confLevel level of the hazard-ratio confidence intervals (R's conf.int, default 0.95)
 * @param zph       compute the proportional-hazards test (cox.zph, km transform)
 */
public record CoxOptions(Cox.Ties ties, boolean robust, double confLevel, boolean zph) {

    public CoxOptions {
        if (ties == null) {
            throw new IllegalArgumentException("ties");
        }
        if (!(confLevel > 0 && confLevel < 1)) {
            throw new IllegalArgumentException("confLevel must be in (0, 1)");
        }
    }

    /** Efron ties, model-based variance (robust only if the data have clusters), 95% CI, with cox.zph. */
    public static CoxOptions defaults() {
        return new CoxOptions(Cox.Ties.EFRON, false, 0.95, true);
    }

    public CoxOptions withTies(Cox.Ties t) {
        return new CoxOptions(t, robust, confLevel, zph);
    }

    public CoxOptions withRobust(boolean r) {
        return new CoxOptions(ties, r, confLevel, zph);
    }

    public CoxOptions withConfLevel(double level) {
        return new CoxOptions(ties, robust, level, zph);
    }

    public CoxOptions withZph(boolean z) {
        return new CoxOptions(ties, robust, confLevel, z);
    }
}
