package org.nbregistry.analytics.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cox proportional-hazards regression with R's numbers (survival::coxph, summary.coxph, cox.zph).
 *
 * <ul>
 *   <li>{@link #fit(CoxData, CoxOptions)}: per record, any covariates (continuous and factor
 *       dummies), strata, robust variance clustered by patient, cox.zph.</li>
 *   <li>{@link #fitCategorical(GroupedCounts, Ties, double[])}: one categorical covariate from
 *       per-day counts in O(days × K²) per iteration whatever the number of tied deaths (two levels:
 *       {@link CoxTwoLevelDays}), optionally warm-started from the previous fit
 *       ({@link CoxFit#warmStart()}), so a refresh after a small change takes 1–2 iterations.</li>
 *   <li>{@link IncrementalAnalysis}: the same fit kept up to date under record changes, its Newton
 *       evaluations from cached per-day terms.</li>
 * </ul>
 * Both iterate as R does (see {@link CoxNewton}) and report a coefficient whose likelihood is monotone
 * as diverging rather than as a number.
 */
public final class Cox {

    /** Handling of tied event times. */
    public enum Ties {
        /** Efron's approximation (R's default). */
        EFRON,
        /** Breslow's approximation. */
        BRESLOW
    }

    private Cox() {
    }

    /** Per-record fit with Efron ties, 95% CIs and cox.zph; robust SE if the data have clusters. */
    public static CoxFit fit(CoxData data) {
        return fit(data, CoxOptions.defaults());
    }

    /** Per-record fit (R: coxph(Surv(time, status) ~ x + strata(s), cluster = id, ties = ...)). */
    public static CoxFit fit(CoxData data, CoxOptions options) {
        CoxRecords rec = new CoxRecords(data, options.ties());
        int p = rec.p;
        CoxDesign design = data.design();
        String[] names = new String[p];
        String[] termNames = new String[p];
        int[] termOf = new int[p];
        for (int j = 0; j < p; j++) {
            names[j] = design.columnName(j);
            termOf[j] = design.termOf(j);
            termNames[j] = design.termName(termOf[j]);
        }
        if (rec.events == 0) {
            return notEstimable(options.ties(), rec.n, names, termNames);
        }
        CoxNewton.Result res = CoxNewton.fit(rec, new double[p], CoxNewton.MAX_ITER, CoxNewton.EPS);
        double[] s = rec.scale;
        double[] beta = new double[p];
        double[] u = new double[p];
        double[] var = new double[p * p];
        for (int i = 0; i < p; i++) {
            beta[i] = res.beta()[i] * s[i];
            u[i] = res.u()[i] / s[i];
            for (int j = 0; j < p; j++) {
                var[i * p + j] = res.variance()[i * p + j] * s[i] * s[j];
            }
        }
        boolean robust = options.robust() || rec.cluster != null;
        double[] robustVar = null;
        CoxFit.Test robustScore = null;
        boolean[] aliased = aliased(var, p);
        int df = p - count(aliased);
        if (robust) {
            robustVar = robustVariance(rec, res.beta(), res.variance());
            double rs = robustScoreTest(rec);
            robustScore = test(rs, df);
        }
        CoxFit.Zph zph = options.zph() ? zph(rec, res.beta(), aliased, termOf, design) : null;
        return assemble(options.ties(), rec.n, rec.events, res, beta, u, var, robustVar, robustScore, zph, names,
                termNames, options.confLevel());
    }

    /** Categorical Cox from counts, Efron or Breslow ties, with cox.zph; start may be null (β = 0). */
    public static CoxFit fitCategorical(GroupedCounts counts, Ties ties, double[] start) {
        return fitCategorical(List.of(counts), ties, start, true);
    }

    /** Stratified categorical Cox from counts: one {@link GroupedCounts} per stratum, same levels. */
    public static CoxFit fitCategoricalStratified(List<GroupedCounts> strata, Ties ties, double[] start) {
        return fitCategorical(strata, ties, start, true);
    }

    /** Stratified categorical Cox from the per-stratum snapshot of the incremental counts. */
    public static CoxFit fitCategorical(StratifiedCounts strata, Ties ties, double[] start) {
        return fitCategorical(List.of(strata.perStratum()), ties, start, true);
    }

    /**
     * Categorical Cox from counts (R: coxph(Surv(t, s) ~ group + strata(...))). Coefficients are named
     * by level label, the first level is the reference; the null log-likelihood and the score test are
     * always at β = 0, also when warm-started.
     *
     * @param start previous coefficients (length K−1, e.g. {@link CoxFit#warmStart()}), or null for 0
     * @param zph   also compute the proportional-hazards test (one more pass over the days)
     */
    public static CoxFit fitCategorical(List<GroupedCounts> strata, Ties ties, double[] start, boolean zph) {
        CoxCounts cc = new CoxCounts(strata, ties);
        String[] groups = strata.get(0).groups();
        return fitCategorical(cc, cc.records, cc.events, groups, ties, start, zph ? cc : null);
    }

    /**
     * The categorical fit on any likelihood of one K-level factor: {@link CoxCounts}, or the cached
     * per-day terms of {@link IncrementalAnalysis}. {@code zph} null leaves cox.zph out.
     */
    static CoxFit fitCategorical(CoxNewton.Likelihood lik, int records, int events, String[] groups, Ties ties,
                                 double[] start, CoxCounts zph) {
        int p = lik.dimension();
        String[] names = Arrays.copyOfRange(groups, 1, groups.length);
        String[] termNames = new String[p];
        Arrays.fill(termNames, "group");
        if (events == 0) {
            return notEstimable(ties, records, names, termNames);
        }
        if (start != null && start.length != p) {
            throw new IllegalArgumentException("start needs " + p + " coefficients");
        }
        double[] zero = new double[p];
        CoxNewton.Result res = null;
        if (start != null) {
            res = CoxNewton.fit(lik, clampStart(start), CoxNewton.MAX_ITER, CoxNewton.EPS);
            if (!res.converged() || !Double.isFinite(res.logLik())) {
                res = null;   // a start that does not work: fit from β = 0 as R would
            }
        }
        if (res == null) {
            start = null;
            res = CoxNewton.fit(lik, zero, CoxNewton.MAX_ITER, CoxNewton.EPS);
        }
        if (start != null) {
            double[] u0 = new double[p];
            double[] i0 = new double[p * p];
            double ll0 = lik.evaluate(zero, u0, i0);
            double sc = CoxMatrix.quadraticFormInverse(i0, p, u0, CoxMatrix.TOLER_CHOL);
            res = new CoxNewton.Result(res.beta(), res.u(), res.variance(), ll0, res.logLik(), sc, res.iterations(),
                    res.converged(), res.rank());
        }
        boolean[] aliased = aliased(res.variance(), p);
        CoxFit.Zph z = null;
        if (zph != null) {
            double[] ug = new double[p];
            double[] im = new double[4 * p * p];
            zph.zph(res.beta(), ug, im);
            z = zphTests(ug, im, p, aliased, new int[p], new String[] {"group"});
        }
        return assemble(ties, records, events, res, res.beta(), res.u(), res.variance(), null, null, z, names,
                termNames, 0.95);
    }

    /**
     * Largest |β| taken from a warm start. R's own iteration stops a diverging coefficient near ±20;
     * carrying it further on every refresh would eventually underflow exp(β) and turn "diverging"
     * into "not estimable", so the start is held at ±{@value #MAX_START}.
     */
    static final double MAX_START = 25;

    private static double[] clampStart(double[] start) {
        double[] s = start.clone();
        for (int j = 0; j < s.length; j++) {
            if (Double.isNaN(s[j])) {
                s[j] = 0;
            }
            s[j] = Math.max(-MAX_START, Math.min(MAX_START, s[j]));
        }
        return s;
    }

    /** qnorm(0.975), for the default 95% intervals (the quantile takes Newton steps on the normal tail). */
    private static final double Z_95 = Distributions.normalQuantile(0.975);

    private static CoxFit assemble(Ties ties, int n, int events, CoxNewton.Result res, double[] beta, double[] u,
                                   double[] var, double[] robustVar, CoxFit.Test robustScore, CoxFit.Zph zph,
                                   String[] names, String[] termNames, double confLevel) {
        int p = beta.length;
        boolean[] aliased = aliased(var, p);
        boolean[] diverging = CoxNewton.diverging(beta, u, var, p);
        boolean anyDiverging = false;
        for (int j = 0; j < p; j++) {
            diverging[j] &= !aliased[j];
            anyDiverging |= diverging[j];
        }
        double zq = confLevel == 0.95 ? Z_95 : Distributions.normalQuantile((1 + confLevel) / 2);
        double[] used = robustVar != null ? robustVar : var;
        List<CoxFit.Term> terms = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            double se = Math.sqrt(var[j * p + j]);
            double rse = robustVar == null ? Double.NaN : Math.sqrt(robustVar[j * p + j]);
            if (aliased[j]) {
                terms.add(new CoxFit.Term(names[j], termNames[j], CoxFit.TermStatus.ALIASED, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0));
            } else if (diverging[j]) {
                terms.add(new CoxFit.Term(names[j], termNames[j], CoxFit.TermStatus.DIVERGING, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        beta[j] > 0 ? 1 : -1));
            } else {
                double b = beta[j];
                double seUsed = Math.sqrt(used[j * p + j]);
                double z = b / seUsed;
                terms.add(new CoxFit.Term(names[j], termNames[j], CoxFit.TermStatus.ESTIMATED, b, Math.exp(b), se, rse,
                        z, Distributions.chiSquareUpperTail(z * z, 1), Math.exp(b - zq * seUsed),
                        Math.exp(b + zq * seUsed), 0));
            }
        }
        int df = p - count(aliased);
        CoxFit.Test lr = test(2 * (res.logLik() - res.logLikInit()), df);
        CoxFit.Test score = test(res.scoreTest(), df);
        CoxFit.Test wald = anyDiverging ? new CoxFit.Test(Double.NaN, df, Double.NaN) : test(wald(beta, used, aliased), df);
        return new CoxFit(ties, n, events, res.iterations(), res.converged(), terms, res.logLikInit(), res.logLik(), lr,
                wald, score, robustScore, zph, beta, var, robustVar);
    }

    private static CoxFit notEstimable(Ties ties, int n, String[] names, String[] termNames) {
        int p = names.length;
        List<CoxFit.Term> terms = new ArrayList<>(p);
        for (int j = 0; j < p; j++) {
            terms.add(new CoxFit.Term(names[j], termNames[j], CoxFit.TermStatus.ALIASED, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0));
        }
        CoxFit.Test none = new CoxFit.Test(Double.NaN, 0, Double.NaN);
        return new CoxFit(ties, n, 0, 0, false, terms, 0, 0, none, none, none, null, null, new double[p],
                new double[p * p], null);
    }

    private static CoxFit.Test test(double chi, int df) {
        return new CoxFit.Test(chi, df, Distributions.chiSquareUpperTail(chi, df));
    }

    private static boolean[] aliased(double[] var, int p) {
        boolean[] out = new boolean[p];
        for (int j = 0; j < p; j++) {
            out[j] = var[j * p + j] == 0;
        }
        return out;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return c;
    }

    /** b' V⁻¹ b over the non-aliased coefficients (R's coxph.wtest). */
    private static double wald(double[] beta, double[] var, boolean[] aliased) {
        int p = beta.length;
        int[] keep = keep(aliased);
        int q = keep.length;
        double[] sub = new double[q * q];
        double[] b = new double[q];
        for (int i = 0; i < q; i++) {
            b[i] = beta[keep[i]];
            for (int j = 0; j < q; j++) {
                sub[i * q + j] = var[keep[i] * p + keep[j]];
            }
        }
        return CoxMatrix.quadraticFormInverse(sub, q, b, CoxMatrix.TOLER_CHOL);
    }

    private static int[] keep(boolean[] drop) {
        int[] k = new int[drop.length];
        int q = 0;
        for (int j = 0; j < drop.length; j++) {
            if (!drop[j]) {
                k[q++] = j;
            }
        }
        return Arrays.copyOf(k, q);
    }

    /**
     * Sandwich variance D'D, D the dfbeta residuals (score residuals × model variance) summed within
     * clusters (R: residuals(fit, "dfbeta", collapse = cluster)); returned in the original scale.
     */
    private static double[] robustVariance(CoxRecords rec, double[] betaScaled, double[] varScaled) {
        int n = rec.n;
        int p = rec.p;
        double[] resid = rec.scoreResiduals(betaScaled);
        double[] dfbeta = new double[n * p];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < p; j++) {
                double v = 0;
                for (int i = 0; i < p; i++) {
                    v += resid[k * p + i] * varScaled[i * p + j];
                }
                dfbeta[k * p + j] = v * rec.scale[j];
            }
        }
        double[] d = rec.collapse(dfbeta, rec.cluster);
        return crossProduct(d, p);
    }

    /** R's fit$rscore: score residuals at β = 0 summed by cluster, S; u = Σ S; u' (S'S)⁻¹ u. */
    private static double robustScoreTest(CoxRecords rec) {
        int p = rec.p;
        double[] s = rec.collapse(rec.scoreResiduals(new double[p]), rec.cluster);
        double[] u = new double[p];
        for (int c = 0; c < s.length / p; c++) {
            for (int j = 0; j < p; j++) {
                u[j] += s[c * p + j];
            }
        }
        return CoxMatrix.quadraticFormInverse(crossProduct(s, p), p, u, CoxMatrix.TOLER_CHOL);
    }

    private static double[] crossProduct(double[] rows, int p) {
        double[] out = new double[p * p];
        int m = rows.length / p;
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < p; i++) {
                double ri = rows[c * p + i];
                if (ri == 0) {
                    continue;
                }
                for (int j = 0; j < p; j++) {
                    out[i * p + j] += ri * rows[c * p + j];
                }
            }
        }
        return out;
    }

    private static CoxFit.Zph zph(CoxRecords rec, double[] betaScaled, boolean[] aliased, int[] termOf,
                                  CoxDesign design) {
        int p = rec.p;
        double[] ug = new double[p];
        double[] im = new double[4 * p * p];
        rec.zph(betaScaled, ug, im);
        String[] terms = new String[design.terms()];
        for (int t = 0; t < terms.length; t++) {
            terms[t] = design.termName(t);
        }
        return zphTests(ug, im, p, aliased, termOf, terms);
    }

    /**
     * cox.zph's tests: per term, u' I⁻¹ u over (all β, that term's γ) with u = (0, U_γ); global over
     * all γ. Aliased columns are left out, as R drops NA coefficients.
     */
    static CoxFit.Zph zphTests(double[] uGamma, double[] imat, int p, boolean[] aliased, int[] termOf,
                               String[] termNames) {
        int[] kept = keep(aliased);
        List<CoxFit.Test> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < termNames.length; t++) {
            List<Integer> cols = new ArrayList<>();
            for (int j : kept) {
                if (termOf[j] == t) {
                    cols.add(j);
                }
            }
            if (cols.isEmpty()) {
                continue;
            }
            rows.add(zphTest(uGamma, imat, p, kept, cols.stream().mapToInt(Integer::intValue).toArray()));
            names.add(termNames[t]);
        }
        CoxFit.Test global = zphTest(uGamma, imat, p, kept, kept);
        return new CoxFit.Zph(rows, names, global);
    }

    private static CoxFit.Test zphTest(double[] uGamma, double[] imat, int p, int[] betaCols, int[] gammaCols) {
        int q = betaCols.length + gammaCols.length;
        int[] idx = new int[q];
        double[] u = new double[q];
        for (int i = 0; i < betaCols.length; i++) {
            idx[i] = betaCols[i];
        }
        for (int i = 0; i < gammaCols.length; i++) {
            idx[betaCols.length + i] = p + gammaCols[i];
            u[betaCols.length + i] = uGamma[gammaCols[i]];
        }
        double[] sub = new double[q * q];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                sub[i * q + j] = imat[idx[i] * 2 * p + idx[j]];
            }
        }
        return test(CoxMatrix.quadraticFormInverse(sub, q, u, CoxMatrix.TOLER_CHOL), gammaCols.length);
    }
}
