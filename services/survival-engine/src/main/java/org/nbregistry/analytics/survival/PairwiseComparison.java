package org.nbregistry.analytics.survival;

/**
 * One pair of groups compared on its own (the two groups' records only), with the unadjusted p-value and
 * the Holm and Bonferroni adjustments over all pairs (R: p.adjust(p, "holm") and "bonferroni").
 */
public record PairwiseComparison(String first, String second, double chisq, double p, double pHolm,
                                 double pBonferroni) {
}
