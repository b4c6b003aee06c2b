package org.nbregistry.analytics.survival;

/**
 * Pointwise confidence limits of a Kaplan–Meier curve at each of its times; NaN where R gives NA
 * (S = 0 for every type, S = 1 for log-log).
 */
public record ConfidenceBand(ConfType type, double level, DoubleColumn lower, DoubleColumn upper) {
}
