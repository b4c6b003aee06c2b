package org.nbregistry.analytics.survival;

import java.util.List;

/**
 * A test of equal survival across groups from the G-rho family (R's survdiff): observed and expected
 * (weighted) events per group, their K x K covariance {@code variance} in row-major order, and the
 * chi-square statistic on {@code df} = (groups with expected &gt; 0) - 1 degrees of freedom.
 */
public record LogRankTest(double rho, List<String> groups, IntColumn n, DoubleColumn observed, DoubleColumn expected,
                          DoubleColumn variance, double chisq, int df, double p) {

    public double variance(int k, int l) {
        return variance.get(k * groups.size() + l);
    }
}
