package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.ConfidenceBand;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.MedianEstimate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kaplan–Meier answer: n, events, one row per distinct day with the standard error of S (R's summary std.err) and
 * the 95% log-type CI (R's default), and the dataset version and time of the last change it reflects. Limits R reports
 * as NA are null. Below the disclosure threshold nothing but the reason is shown.
 */
public record SurvivalView(String endpoint, long datasetVersion, Instant reflectsChangesUpTo, boolean suppressed,
                           String suppressionReason, Integer n, Integer events, List<Row> curve,
                           @Schema(description = "Median follow-up (reverse Kaplan–Meier) with its 95% log CI; null when withheld "
                                   + "or without episodes") SurvivalAnalysisView.MedianSurvival medianFollowUp) {

    /** One day; cumulativeHazard is Nelson–Aalen's (R's cumhaz) and cumulativeHazardStdErr its SE (std.chaz). */
    public record Row(int day, int atRisk, int events, int censored, double survival, Double stdErr, Double lower, Double upper,
                      Double cumulativeHazard, Double cumulativeHazardStdErr) {
    }

    static SurvivalView of(String endpoint, long version, Instant reflects, KaplanMeierCurve curve, int minGroupSize) {
        if (curve.n() > 0 && curve.n() < minGroupSize) {
            return new SurvivalView(endpoint, version, reflects, true, Disclosure.smallGroup(minGroupSize), null, null, List.of(), null);
        }
        ConfidenceBand band = curve.band();
        List<Row> rows = new ArrayList<>(curve.size());
        for (int i = 0; i < curve.size(); i++) {
            rows.add(new Row((int) curve.time().get(i), curve.nRisk().get(i), curve.nEvent().get(i), curve.nCensor().get(i),
                    curve.surv().get(i), finite(curve.stdErrSurv(i)), finite(band.lower().get(i)), finite(band.upper().get(i)),
                    finite(curve.cumHaz().get(i)), finite(curve.stdCumHaz().get(i))));
        }
        SurvivalAnalysisView.MedianSurvival followUp = null;
        if (curve.size() > 0) {
            MedianEstimate m = SurvivalAnalysisView.reverse(curve).median(ConfType.LOG, KaplanMeierCurve.DEFAULT_LEVEL);
            followUp = new SurvivalAnalysisView.MedianSurvival(finite(m.median()), finite(m.lower()), finite(m.upper()));
        }
        return new SurvivalView(endpoint, version, reflects, false, null, curve.n(), curve.totalEvents(), rows, followUp);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
