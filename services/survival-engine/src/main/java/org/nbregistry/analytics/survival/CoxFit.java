package org.nbregistry.analytics.survival;

import java.util.List;

/**
 * A fitted Cox proportional-hazards model, as R's summary(coxph(...)) and cox.zph(fit) report it.
 *
 * <p>A coefficient whose partial likelihood keeps increasing towards ±∞ (monotone likelihood, e.g. a
 * level without events) has no estimate: its term is {@link TermStatus#DIVERGING} with NaN numbers and
 * the direction in {@link Term#divergence()}; the Wald test, which would depend on where the
 * iteration happened to stop, is then NaN too. The other terms, the likelihood-ratio and score tests
 * are reported (their values are the limits R's iteration approaches).
 *
 * @param ties            the tie handling used
 * @param n               records used
 * @param events          events among them
 * @param iterations      Newton–Raphson iterations (R's fit$iter)
 * @param converged       false if the iteration limit was reached first
 * @param terms           one row per design column, in design order
 * @param logLikNull      log partial likelihood at β = 0 (R's fit$loglik[1])
 * @param logLik          log partial likelihood at the estimate (fit$loglik[2])
 * @param likelihoodRatio 2 (logLik − logLikNull)
 * @param wald            Wald test of β = 0; with a robust variance it uses that variance (as R)
 * @param score           score (log-rank type) test at β = 0
 * @param robustScore     robust score test (R's fit$rscore), null without a robust variance
 * @param zph             proportional-hazards test (cox.zph, km transform), null if not computed
 * @param warmStart       the final iterate, including any diverging coordinate: pass it as the start of
 *                        the next fit after a small data change. Not an estimate; read {@link #terms()}
 * @param variance        model-based variance of the coefficients, row-major p×p (0 rows for aliased)
 * @param robustVariance  sandwich variance (row-major p×p), null unless clusters or robust were asked
 */
public record CoxFit(Cox.Ties ties, int n, int events, int iterations, boolean converged, List<Term> terms,
                     double logLikNull, double logLik, Test likelihoodRatio, Test wald, Test score,
                     Test robustScore, Zph zph, double[] warmStart, double[] variance, double[] robustVariance) {

    public CoxFit {
        terms = List.copyOf(terms);
        warmStart = warmStart.clone();
        variance = variance.clone();
        robustVariance = robustVariance == null ? null : robustVariance.clone();
    }

    /** Whether the coefficient could be estimated, diverges, or is redundant (collinear). */
    public enum TermStatus {
        ESTIMATED,
        /** Monotone likelihood: the estimate is ±∞ (R: "Loglik converged before variable ..."). */
        DIVERGING,
        /** Linearly dependent on other columns (R reports NA). */
        ALIASED
    }

    /**
     * One coefficient. With a robust variance, z, p and the CI use the robust SE, as R's summary does.
     *
     * @param name       column name (R's coefficient name, e.g. "riskintermediate")
     * @param term       the term (covariate) it belongs to
     * @param coef       log hazard ratio (NaN unless ESTIMATED)
     * @param hazardRatio exp(coef)
     * @param se         model-based standard error
     * @param robustSe   sandwich standard error, NaN without a robust variance
     * @param z          coef / SE
     * @param p          two-sided Wald p-value
     * @param lower      lower confidence limit of the hazard ratio
     * @param upper      upper confidence limit of the hazard ratio
     * @param divergence for DIVERGING: +1 if the hazard ratio tends to ∞, −1 if it tends to 0; else 0
     */
    public record Term(String name, String term, TermStatus status, double coef, double hazardRatio, double se,
                       double robustSe, double z, double p, double lower, double upper, int divergence) {
    }

    /** A chi-square test: statistic, degrees of freedom, upper-tail p-value. */
    public record Test(double chiSquare, int df, double p) {
    }

    /** R's cox.zph(fit) table: one row per term and the global test. */
    public record Zph(List<Test> terms, List<String> termNames, Test global) {
        public Zph {
            terms = List.copyOf(terms);
            termNames = List.copyOf(termNames);
        }
    }

    public int size() {
        return terms.size();
    }

    public Term term(String name) {
        for (Term t : terms) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no coefficient " + name);
    }

    /** True if any coefficient diverges (monotone likelihood). */
    public boolean hasDivergingTerm() {
        for (Term t : terms) {
            if (t.status() == TermStatus.DIVERGING) {
                return true;
            }
        }
        return false;
    }

    public double variance(int i, int j) {
        return variance[i * terms.size() + j];
    }

    @Override
    public double[] warmStart() {
        return warmStart.clone();
    }

    @Override
    public double[] variance() {
        return variance.clone();
    }

    @Override
    public double[] robustVariance() {
        return robustVariance == null ? null : robustVariance.clone();
    }
}
