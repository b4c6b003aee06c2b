package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.survival.Fixtures.element;
import static org.nbregistry.analytics.survival.Fixtures.near;
import static org.nbregistry.analytics.survival.Fixtures.same;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Figures reference.R does not print, from this module's extra_reference.R (*.extra.json): plain CIs,
 * median follow-up, G-rho with rho 0.5 and 2, stratified Peto–Peto, pairwise log-rank with Holm and
 * Bonferroni adjustment. Tolerance 1e-10, absolute or relative.
 */
class ExtraFixturesTest {

    @AfterAll
    static void report() {
        System.out.println("ExtraFixturesTest: " + Fixtures.COMPARED.get() + " figures compared with R so far, largest |diff|/max(1,|R|) "
                + Fixtures.MAX_SCALED_ERROR.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry_ties", "edge_cases", "lung", "veteran"})
    void extraFiguresMatchR(String name) {
        JsonNode expected = Fixtures.json(name + ".extra.json");
        Fixtures.Table table = Fixtures.csv(name + ".csv");
        double[] times = ReferenceFixturesTest.doubles(expected.at("/meta/fixed_times"));
        GroupedCounts all = Fixtures.pooled(table);
        checkPlain(expected.at("/overall/plain"), KaplanMeier.overall(all), times, name + " overall");
        checkMedian(expected.at("/overall/followup"), KaplanMeier.medianFollowUp(all, ConfType.LOG, 0.95),
                name + " overall follow-up");
        var fields = expected.get("groups").fields();
        int columns = 0;
        while (fields.hasNext()) {
            var entry = fields.next();
            String column = entry.getKey();
            JsonNode g = entry.getValue();
            List<String> levels = Fixtures.strings(g.get("levels"));
            GroupedCounts counts = Fixtures.counts(table, column, levels);
            String where = name + " " + column;
            for (int l = 0; l < levels.size(); l++) {
                String lv = levels.get(l);
                checkPlain(g.get("plain").get(lv), KaplanMeier.forGroup(counts, l), times, where + "=" + lv);
                checkMedian(g.get("followup").get(lv), KaplanMeier.medianFollowUp(counts, l, ConfType.LOG, 0.95),
                        where + "=" + lv + " follow-up");
            }
            for (JsonNode t : g.get("grho")) {
                checkTest(t, LogRank.gRho(counts, t.get("rho").asDouble()), where + " G-rho " + t.get("rho"));
            }
            if (g.has("stratified_peto")) {
                JsonNode st = g.get("stratified_peto");
                StratifiedCounts sc = Fixtures.stratified(table, column, levels, st.get("strata").asText());
                checkTest(st, LogRank.stratified(sc, 1.0), where + " stratified Peto-Peto");
            }
            List<PairwiseComparison> pairs = LogRank.pairwise(counts, 0.0);
            JsonNode pw = g.get("pairwise");
            int expectedPairs = pw.isArray() ? pw.size() : 1;
            assertEquals(expectedPairs, pairs.size(), where + " pairs");
            for (int i = 0; i < pairs.size(); i++) {
                JsonNode e = pw.isArray() ? pw.get(i) : pw;
                PairwiseComparison c = pairs.get(i);
                String w = where + " " + c.first() + " vs " + c.second();
                assertEquals(e.get("first").asText(), c.first(), w);
                assertEquals(e.get("second").asText(), c.second(), w);
                near(e.get("chisq"), c.chisq(), w + " chisq");
                near(e.get("p"), c.p(), w + " p");
                near(e.get("p_holm"), c.pHolm(), w + " holm");
                near(e.get("p_bonferroni"), c.pBonferroni(), w + " bonferroni");
            }
            columns++;
        }
        assertTrue(columns >= 2);
    }

    private static void checkPlain(JsonNode e, KaplanMeierCurve curve, double[] times, String where) {
        ConfidenceBand band = curve.band(ConfType.PLAIN, 0.95);
        JsonNode rows = e.get("table");
        assertEquals(rows.size(), curve.size(), where + " rows");
        for (int i = 0; i < curve.size(); i++) {
            near(rows.get(i).get("time"), curve.time().get(i), where + " time");
            near(rows.get(i).get("lower"), band.lower().get(i), where + " plain lower t=" + curve.time().get(i));
            near(rows.get(i).get("upper"), band.upper().get(i), where + " plain upper t=" + curve.time().get(i));
        }
        List<SurvivalAt> at = curve.survivalAt(times, ConfType.PLAIN, 0.95);
        for (int i = 0; i < at.size(); i++) {
            JsonNode r = e.get("surv_at").get(i);
            SurvivalAt a = at.get(i);
            if (r.get("beyond_follow_up").asBoolean()) {
                assertFalse(a.estimable(), where + " beyond at " + a.time());
                continue;
            }
            near(r.get("surv"), a.surv(), where + " plain surv at " + a.time());
            near(r.get("lower"), a.lower(), where + " plain lower at " + a.time());
            near(r.get("upper"), a.upper(), where + " plain upper at " + a.time());
        }
        checkMedian(e.get("median"), curve.median(ConfType.PLAIN, 0.95), where + " plain median");
        JsonNode q = e.get("quantiles");
        double[] probs = ReferenceFixturesTest.doubles(q.get("p"));
        QuantileEstimates quantiles = curve.quantiles(probs, ConfType.PLAIN, 0.95);
        for (int i = 0; i < probs.length; i++) {
            near(element(q.get("time"), i), quantiles.time().get(i), where + " plain quantile " + probs[i]);
            near(element(q.get("lower"), i), quantiles.lower().get(i), where + " plain quantile lower " + probs[i]);
            near(element(q.get("upper"), i), quantiles.upper().get(i), where + " plain quantile upper " + probs[i]);
        }
    }

    private static void checkMedian(JsonNode e, MedianEstimate m, String where) {
        near(e.get("median"), m.median(), where + " median");
        near(e.get("lower"), m.lower(), where + " lower");
        near(e.get("upper"), m.upper(), where + " upper");
    }

    private static void checkTest(JsonNode e, LogRankTest t, String where) {
        near(e.get("rho"), t.rho(), where + " rho");
        near(e.get("chisq"), t.chisq(), where + " chisq");
        same(e.get("df"), t.df(), where + " df");
        near(e.get("p"), t.p(), where + " p");
        for (int k = 0; k < t.groups().size(); k++) {
            near(element(e.get("observed"), k), t.observed().get(k), where + " observed " + k);
            near(element(e.get("expected"), k), t.expected().get(k), where + " expected " + k);
            near(element(e.get("var_diag"), k), t.variance(k, k), where + " var " + k);
        }
    }
}
