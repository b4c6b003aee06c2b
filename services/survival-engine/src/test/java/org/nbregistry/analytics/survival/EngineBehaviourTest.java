package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour the R fixtures cannot show: empty input, adjustment arithmetic, snapshot bookkeeping. */
class EngineBehaviourTest {

    @Test
    void emptyCurveIsNotEstimable() {
        KaplanMeierCurve empty = KaplanMeier.fromCounts(new int[0], new int[0], new int[0]);
        assertEquals(0, empty.size());
        assertEquals(0, empty.n());
        SurvivalAt at = empty.survivalAt(new double[] {10}, ConfType.LOG, 0.95).get(0);
        assertFalse(at.estimable());
        assertTrue(Double.isNaN(at.surv()));
        assertTrue(Double.isNaN(empty.median(ConfType.LOG, 0.95).median()));
    }

    @Test
    void survivalBeforeTheFirstTimeIsOne() {
        KaplanMeierCurve c = KaplanMeier.fromCounts(new int[] {5, 9}, new int[] {1, 1}, new int[] {1, 0});
        SurvivalAt at = c.survivalAt(new double[] {2}, ConfType.LOG_LOG, 0.95).get(0);
        assertTrue(at.estimable());
        assertEquals(1.0, at.surv());
        assertEquals(1.0, at.lower());
        assertEquals(1.0, at.upper());
        assertEquals(3, at.nRisk());
        assertFalse(c.survivalAt(new double[] {9.5}, ConfType.LOG, 0.95).get(0).estimable());
        assertTrue(c.survivalAt(new double[] {9}, ConfType.LOG, 0.95).get(0).estimable());
    }

    /** R: p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.04, 0.5), "holm"). */
    @Test
    void holmMatchesR() {
        double[] adjusted = LogRank.holm(new double[] {0.01, 0.04, 0.03, 0.2, 0.04, 0.5});
        assertArrayEquals(new double[] {0.06, 0.16, 0.15, 0.4, 0.16, 0.5}, adjusted, 1e-15);
    }

    @Test
    void changingARecordMovesItsContribution() {
        IncrementalCounts state = new IncrementalCounts();
        state.add(10, true, "b", "s1");
        state.add(20, false, "a", null);
        state.add(10, false, "a", "s2");
        GroupedCounts c = state.groupedCounts();
        assertArrayEquals(new String[] {"a", "b"}, c.groups());
        assertArrayEquals(new int[] {10, 20}, c.days());
        state.subtract(10, true, "b", "s1"); // change: day, status and group
        state.add(30, false, "a", "s1");
        c = state.groupedCounts();
        assertArrayEquals(new String[] {"a"}, c.groups(), "b has no records left");
        assertArrayEquals(new int[] {10, 20, 30}, c.days());
        assertArrayEquals(new int[] {0, 0, 0}, c.events()[0]);
        assertArrayEquals(new int[] {1, 1, 1}, c.censored()[0]);
        StratifiedCounts sc = state.stratifiedCounts();
        assertEquals(List.of("s1", "s2"), List.of(sc.strata()));
        assertArrayEquals(new int[] {30}, sc.perStratum()[0].days(), "record without stratum left out");
        state.subtract(20, false, "a", null);
        assertEquals(2, state.size());
        assertEquals(2, state.distinctDays());
    }
}
