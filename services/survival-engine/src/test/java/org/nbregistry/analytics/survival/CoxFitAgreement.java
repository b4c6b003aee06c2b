package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a warm-started fit guarantees against the fit from β = 0 of the same data. Both stop by R's rule
 * (relative log-likelihood change ≤ 1e-9 in the last Newton step), which leaves β̂ within ~1e-8 of the
 * maximum along different paths: coefficients and SEs agree at the 1e-6 used against R; the
 * log-likelihood, flat at the maximum, at 1e-12, the likelihood-ratio statistic (a difference of two
 * log-likelihoods) at 1e-9; the null log-likelihood and the score test, always at β = 0, exactly. A
 * coefficient near 0 is judged against its standard error (its relative error means nothing there: both
 * fits stop ~1e-8 from the maximum in absolute terms), and a likelihood-ratio statistic below 1 on the
 * chi-square scale.
 */
final class CoxFitAgreement {

    private CoxFitAgreement() {
    }

    static void warmAgreesWithCold(CoxFit cold, CoxFit warm, String what) {
        assertEquals(cold.size(), warm.size(), what);
        for (int j = 0; j < cold.size(); j++) {
            CoxFit.Term c = cold.terms().get(j);
            CoxFit.Term w = warm.terms().get(j);
            assertEquals(c.status(), w.status(), what + " status " + c.name());
            if (c.status() == CoxFit.TermStatus.ESTIMATED) {
                CoxTestData.close(c.coef(), w.coef(), 1e-6, c.se(), what + " coef " + c.name());
                CoxTestData.rel(c.se(), w.se(), 1e-6, what + " se " + c.name());
            } else {
                assertEquals(c.divergence(), w.divergence(), what + " divergence " + c.name());
            }
        }
        CoxTestData.rel(cold.logLik(), warm.logLik(), 1e-12, what + " loglik");
        assertEquals(cold.logLikNull(), warm.logLikNull(), 0, what + " loglik null");
        assertEquals(cold.score(), warm.score(), what + " score test");
        if (!cold.hasDivergingTerm()) {
            CoxTestData.close(cold.likelihoodRatio().chiSquare(), warm.likelihoodRatio().chiSquare(), 1e-9, 1,
                    what + " lr");
        }
    }
}
