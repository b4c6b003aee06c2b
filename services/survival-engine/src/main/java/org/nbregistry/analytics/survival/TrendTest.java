package org.nbregistry.analytics.survival;

/** Log-rank test for trend over ordered groups: U = s'(O - E), V = s' Var s, chi-square U^2/V on 1 df. */
public record TrendTest(DoubleColumn scores, double u, double v, double chisq, int df, double p) {
}
