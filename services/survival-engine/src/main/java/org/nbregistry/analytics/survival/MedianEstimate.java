package org.nbregistry.analytics.survival;

/** Median survival time with the limits where the confidence band crosses 1/2; NaN where R gives NA. */
public record MedianEstimate(double median, double lower, double upper) {
}
