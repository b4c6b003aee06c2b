package org.nbregistry.analytics.survival;

/**
 * Difference in restricted mean survival time between a level and the reference level, with the
 * independent-samples normal approximation: se = sqrt(se1^2 + se0^2), p = 2 P(Z &gt; |diff / se|).
 */
public record RmstDifference(double tau, double difference, double se, double p) {

    /** {@code level} minus {@code reference}, both at the same tau. */
    public static RmstDifference between(Rmst level, Rmst reference) {
        if (level.tau() != reference.tau()) {
            throw new IllegalArgumentException("RMSTs at different tau");
        }
        double diff = level.mean() - reference.mean();
        double se = Math.sqrt(level.se() * level.se() + reference.se() * reference.se());
        return new RmstDifference(level.tau(), diff, se, Distributions.normalTwoSided(diff / se));
    }
}
