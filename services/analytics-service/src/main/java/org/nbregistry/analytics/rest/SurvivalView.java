package org.nbregistry.analytics.rest;

import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.survival.ConfidenceBand;
import org.nbregistry.analytics.survival.KaplanMeierCurve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kaplan–Meier answer: n, events, one row per distinct day with the standard error of S (R's summary std.err) and
 * the 95% log-type CI (R's default), and the dataset version and time of the last change it reflects. Limits R reports
 * as NA are null. Below the disclosure threshold nothing but the reason is shown.
 */
public record SurvivalView(String endpoint, long datasetVersion, Instant reflectsChangesUpTo, boolean suppressed,
                           String suppressionReason, Integer n, Integer events, List<Row> curve) {

    public record Row(int day, int atRisk, int events, int censored, double survival, Double stdErr, Double lower, Double upper) {
    }

    static SurvivalView of(String endpoint, long version, Instant reflects, KaplanMeierCurve curve, int minGroupSize) {
        if (curve.n() > 0 && curve.n() < minGroupSize) {
            return new SurvivalView(endpoint, version, reflects, true, Disclosure.smallGroup(minGroupSize), null, null, List.of());
        }
        ConfidenceBand band = curve.band();
        List<Row> rows = new ArrayList<>(curve.size());
        for (int i = 0; i < curve.size(); i++) {
            rows.add(new Row((int) curve.time().get(i), curve.nRisk().get(i), curve.nEvent().get(i), curve.nCensor().get(i),
                    curve.surv().get(i), finite(curve.stdErrSurv(i)), finite(band.lower().get(i)), finite(band.upper().get(i))));
        }
        return new SurvivalView(endpoint, version, reflects, false, null, curve.n(), curve.totalEvents(), rows);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
