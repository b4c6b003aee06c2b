package org.nbregistry.analytics.survival;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scores that differ by less than a fit can resolve are ties, whichever side of zero the noise falls. */
class ConcordanceTiesTest {

    private static final double[] TIME = {5, 8, 12, 20, 30, 41};
    private static final int[] STATUS = {1, 0, 1, 1, 0, 1};

    @Test
    void noiseInTheScoresCountsAsATie() {
        Concordance tied = Concordance.of(TIME, STATUS, new double[] {0, 0, 0, 0, 0, 0}, null, null);
        Concordance noisy = Concordance.of(TIME, STATUS, new double[] {0, -3.6e-17, 0, -3.6e-17, 0, -3.6e-17}, null, null);
        assertEquals(tied, noisy);
        assertEquals(0.0, noisy.stdErr());
    }

    @Test
    void realDifferencesStillOrderThePairs() {
        // Risk falling with time: every comparable pair is concordant, even where the scores differ by 1e-6.
        Concordance ordered = Concordance.of(TIME, STATUS, new double[] {0.9, 0.899999, 0.6, 0.4, 0.2, 0.1}, null, null);
        assertEquals(0.0, ordered.discordant() + ordered.tiedRisk(), ordered.toString());
        assertEquals(1.0, ordered.value(), 1e-15, ordered.toString());
    }
}
