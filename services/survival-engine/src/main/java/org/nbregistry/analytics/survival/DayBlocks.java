package org.nbregistry.analytics.survival;

/**
 * The order in which per-day terms are added up by the log-rank test and the categorical Cox
 * likelihood (any number of levels): within blocks of {@value #SIZE} consecutive day indices (of the analysis' distinct
 * days), then block after block. {@link IncrementalAnalysis} keeps the block sums and redoes only the
 * blocks whose days changed; the from-scratch computations add in the same order, so both give the
 * same bits from the same counts.
 */
final class DayBlocks {

    static final int SHIFT = 6;
    static final int SIZE = 1 << SHIFT;

    private DayBlocks() {
    }

    /** Number of blocks covering {@code days} day indices. */
    static int count(int days) {
        return (days + SIZE - 1) >>> SHIFT;
    }
}
