package org.nbregistry.analytics.survival;

/** Restricted mean survival time up to {@code tau} with its standard error (R's rmean and se(rmean)). */
public record Rmst(double tau, double mean, double se) {
}
