package org.nbregistry.analytics.survival;

/**
 * Newton–Raphson for the Cox partial likelihood with R's path and stopping rule (survival's
 * coxfit6, version 3.5): a step from the start; then, per iteration, stop when
 * |1 − previous/new log-likelihood| ≤ eps; if the likelihood fell or is not finite, pull the step back
 * towards the last good β by (new + h·old)/(h + 1), h = number of consecutive halvings; otherwise take
 * the next Newton step. Reaching the iteration limit returns the last good β.
 */
final class CoxNewton {

    /** R's coxph.control(): eps, iter.max, toler.inf = sqrt(eps). */
    static final double EPS = 1e-9;
    static final int MAX_ITER = 20;
    static final double TOLER_INF = Math.sqrt(EPS);

    /** Log partial likelihood with its score and information at β. */
    interface Likelihood {
        int dimension();

        /** Returns the log-likelihood at beta; fills u (score) and imat (information, full p×p row-major). */
        double evaluate(double[] beta, double[] u, double[] imat);
    }

    /**
     * @param beta       final iterate
     * @param u          score at beta
     * @param variance   generalized inverse of the information at beta (p×p)
     * @param logLikInit log-likelihood at the start
     * @param logLik     log-likelihood at beta
     * @param scoreTest  u0' I0^-1 u0 at the start
     * @param rank       rank of the information at beta
     */
    record Result(double[] beta, double[] u, double[] variance, double logLikInit, double logLik, double scoreTest,
                  int iterations, boolean converged, int rank) {
    }

    private CoxNewton() {
    }

    static Result fit(Likelihood lik, double[] start, int maxIter, double eps) {
        int p = lik.dimension();
        double[] beta = start.clone();
        double[] newBeta = new double[p];
        double[] u = new double[p];
        double[] imat = new double[p * p];
        double[] step = new double[p];

        double logLikInit = lik.evaluate(beta, u, imat);
        System.arraycopy(u, 0, step, 0, p);
        int rank = CoxMatrix.factor(imat, p, CoxMatrix.TOLER_CHOL);
        CoxMatrix.solve(imat, p, step);
        double scoreTest = 0;
        for (int i = 0; i < p; i++) {
            scoreTest += u[i] * step[i];
        }
        if (maxIter == 0 || !Double.isFinite(logLikInit)) {
            return finish(beta, u, imat, p, logLikInit, logLikInit, scoreTest, 0, maxIter == 0, rank);
        }
        double best = logLikInit;
        for (int i = 0; i < p; i++) {
            newBeta[i] = beta[i] + step[i];
        }
        int halving = 0;
        double newLik = best;
        for (int iter = 1; iter <= maxIter; iter++) {
            newLik = lik.evaluate(newBeta, u, imat);
            rank = CoxMatrix.factor(imat, p, CoxMatrix.TOLER_CHOL);
            boolean finite = Double.isFinite(newLik) && allFinite(u) && allFinite(imat);
            if (finite && Math.abs(1 - best / newLik) <= eps) {
                return finish(newBeta, u, imat, p, logLikInit, newLik, scoreTest, iter, true, rank);
            }
            if (!finite || newLik < best) {
                halving++;
                for (int i = 0; i < p; i++) {
                    newBeta[i] = (newBeta[i] + halving * beta[i]) / (halving + 1.0);
                }
            } else {
                halving = 0;
                best = newLik;
                CoxMatrix.solve(imat, p, u);
                for (int i = 0; i < p; i++) {
                    beta[i] = newBeta[i];
                    newBeta[i] += u[i];
                }
            }
        }
        // out of iterations: the last good iterate, its likelihood and information
        double lik0 = lik.evaluate(beta, u, imat);
        rank = CoxMatrix.factor(imat, p, CoxMatrix.TOLER_CHOL);
        return finish(beta, u, imat, p, logLikInit, lik0, scoreTest, maxIter, false, rank);
    }

    private static Result finish(double[] beta, double[] u, double[] factored, int p, double logLikInit,
                                 double logLik, double scoreTest, int iterations, boolean converged, int rank) {
        double[] var = new double[p * p];
        CoxMatrix.inverse(factored, p, var);
        return new Result(beta.clone(), u.clone(), var, logLikInit, logLik, scoreTest, iterations, converged, rank);
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * R's check after convergence (coxph.fit): the Newton step still pending at the estimate, |u' V|,
     * exceeds eps and toler.inf·|β| for a coefficient whose likelihood converged before it did.
     */
    static boolean[] diverging(double[] beta, double[] u, double[] var, int p) {
        boolean[] out = new boolean[p];
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int i = 0; i < p; i++) {
                s += u[i] * var[i * p + j];
            }
            double step = Math.abs(s);
            out[j] = !Double.isFinite(u[j]) || (step > EPS && step > TOLER_INF * Math.abs(beta[j]));
        }
        return out;
    }
}
