package org.nbregistry.analytics.rest;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SurvivalViewTest {

    private static final int THRESHOLD = 5;

    @Test
    void aRegistryBelowTheThresholdShowsNoNumbers() {
        // Four episodes: days 10 (death), 20 (censored), 30 (death), 40 (censored).
        KaplanMeierCurve four = KaplanMeier.fromCounts(new int[]{10, 20, 30, 40}, new int[]{1, 0, 1, 0}, new int[]{0, 1, 0, 1});
        SurvivalView view = SurvivalView.of("OS", 7, Instant.EPOCH, four, THRESHOLD);
        assertTrue(view.suppressed());
        assertTrue(view.suppressionReason().contains("fewer than 5"), view.suppressionReason());
        assertNull(view.n());
        assertNull(view.events());
        assertEquals(List.of(), view.curve());
    }

    @Test
    void atTheThresholdTheCurveIsShownWithTheStandardErrorOfSurvival() {
        // Five episodes, deaths at days 10 and 30: S = 4/5, then 4/5 * 2/3; R: summary(survfit(Surv(t, e) ~ 1))$std.err.
        KaplanMeierCurve five = KaplanMeier.fromCounts(new int[]{10, 20, 30, 40}, new int[]{1, 0, 1, 0}, new int[]{0, 1, 0, 2});
        SurvivalView view = SurvivalView.of("OS", 7, Instant.EPOCH, five, THRESHOLD);
        assertFalse(view.suppressed());
        assertEquals(5, view.n());
        assertEquals(2, view.events());
        SurvivalView.Row first = view.curve().get(0);
        assertEquals(0.8, first.survival(), 1e-12);
        // Greenwood: S * sqrt(d / (n (n - d))) = 0.8 * sqrt(1 / 20).
        assertEquals(0.8 * Math.sqrt(1.0 / 20), first.stdErr(), 1e-12);
        SurvivalView.Row third = view.curve().get(2);
        assertEquals(0.8 * 2 / 3, third.survival(), 1e-12);
        assertEquals(0.8 * 2 / 3 * Math.sqrt(1.0 / 20 + 1.0 / 6), third.stdErr(), 1e-12);
    }

    @Test
    void anEmptyRegistryIsShownEmpty() {
        SurvivalView view = SurvivalView.of("OS", 0, Instant.EPOCH, KaplanMeier.fromCounts(new int[0], new int[0], new int[0]), THRESHOLD);
        assertFalse(view.suppressed());
        assertEquals(0, view.n());
    }
}
