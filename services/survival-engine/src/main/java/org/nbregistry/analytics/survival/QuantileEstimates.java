package org.nbregistry.analytics.survival;

/**
 * Survival-time quantiles as R's quantile.survfit: {@code time[i]} is the time by which a fraction
 * {@code probs[i]} has had the event, with the times where the confidence band reaches it; NaN for NA.
 */
public record QuantileEstimates(DoubleColumn probs, DoubleColumn time, DoubleColumn lower, DoubleColumn upper) {
}
