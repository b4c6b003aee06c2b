package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import org.nbregistry.contracts.CoxAnswers;
import org.nbregistry.contracts.RAnswers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Served answers against fixture/analysis.expected.json (fixture/full_analysis.R). Tolerances as R's own: figures from
 * the curves and the log-rank family 1e-10; from a Cox fit (its Newton iterations stop at a relative change of 1e-9)
 * 1e-6, absolute below 1.
 */
final class FullAnalysisAssertions {

    static final double KM = RAnswers.TOLERANCE;
    static final double COX = RAnswers.COX_TOLERANCE;

    private FullAnalysisAssertions() {
    }

    /** Nelson–Aalen with SE per table row, quantiles, RMST and median follow-up of one group. */
    static void assertGroupEqualsR(String what, JsonNode r, JsonNode group) {
        assertFalse(group.path("suppressed").asBoolean(), what + " is shown");
        JsonNode table = group.path("table");
        assertEquals(r.path("time").size(), table.size(), what + ": one row per distinct day");
        for (int i = 0; i < table.size(); i++) {
            JsonNode row = table.get(i);
            assertEquals(r.path("time").get(i).asInt(), row.path("day").asInt(), what + " day");
            RAnswers.closeOrNull(what + " cumhaz day " + row.path("day"), r.path("cumhaz").get(i), row.path("cumulativeHazard"), KM);
            RAnswers.closeOrNull(what + " std.chaz day " + row.path("day"), r.path("std_chaz").get(i),
                    row.path("cumulativeHazardStdErr"), KM);
        }
        JsonNode q = r.path("quantiles");
        JsonNode served = group.path("quantiles");
        assertEquals(q.path("p").size(), served.size(), what + " quantiles");
        for (int i = 0; i < served.size(); i++) {
            JsonNode s = served.get(i);
            RAnswers.close(what + " quantile p", q.path("p").get(i).asDouble(), s.path("probability").asDouble(), KM);
            RAnswers.closeOrNull(what + " quantile " + s.path("probability"), q.path("time").get(i), s.path("days"), KM);
            RAnswers.closeOrNull(what + " quantile lower", q.path("lower").get(i), s.path("lower"), KM);
            RAnswers.closeOrNull(what + " quantile upper", q.path("upper").get(i), s.path("upper"), KM);
        }
        assertEquals(r.path("rmst").path("tau").asInt(), group.path("rmst").path("tau").asInt(), what + " tau");
        RAnswers.closeOrNull(what + " rmean", r.path("rmst").path("rmean"), group.path("rmst").path("mean"), KM);
        RAnswers.closeOrNull(what + " se(rmean)", r.path("rmst").path("se"), group.path("rmst").path("stdErr"), KM);
        JsonNode fu = r.path("followup");
        JsonNode followUp = group.path("medianFollowUp");
        RAnswers.closeOrNull(what + " median follow-up", fu.path("median"), followUp.path("days"), KM);
        RAnswers.closeOrNull(what + " median follow-up lower", fu.path("lower"), followUp.path("lower"), KM);
        RAnswers.closeOrNull(what + " median follow-up upper", fu.path("upper"), followUp.path("upper"), KM);
    }

    /** tests of a survival answer grouped by site with rho=1 and tau: Peto–Peto, trend, pairwise, RMST differences, Cox. */
    static void assertSiteTestsEqualR(String what, JsonNode r, JsonNode tests) {
        assertFalse(tests.path("suppressed").asBoolean(), what + " tests shown");
        JsonNode pp = r.path("peto_peto");
        JsonNode g = tests.path("gRho");
        assertEquals(1.0, g.path("rho").asDouble());
        assertEquals("Peto-Peto", g.path("test").asText());
        RAnswers.close(what + " Peto-Peto chisq", pp.path("chisq").asDouble(), g.path("chiSquare").asDouble(), KM);
        RAnswers.close(what + " Peto-Peto p", pp.path("p").asDouble(), g.path("p").asDouble(), KM);
        assertEquals(pp.path("df").asInt(), g.path("df").asInt(), what + " Peto-Peto df");
        for (int k = 0; k < g.path("levels").size(); k++) {
            RAnswers.close(what + " observed", pp.path("observed").get(k).asDouble(), g.path("levels").get(k).path("observed").asDouble(), KM);
            RAnswers.close(what + " expected", pp.path("expected").get(k).asDouble(), g.path("levels").get(k).path("expected").asDouble(), KM);
        }
        RAnswers.close(what + " trend chisq", r.path("trend").path("chisq").asDouble(), tests.path("trend").path("chiSquare").asDouble(), KM);
        RAnswers.close(what + " trend p", r.path("trend").path("p").asDouble(), tests.path("trend").path("p").asDouble(), KM);
        assertEquals(r.path("pairwise").size(), tests.path("pairwise").size(), what + " pairs");
        for (JsonNode pair : r.path("pairwise")) {
            JsonNode served = null;
            for (JsonNode s : tests.path("pairwise")) {
                if (s.path("first").asText().equals(pair.path("first").asText()) && s.path("second").asText().equals(pair.path("second").asText())) {
                    served = s;
                }
            }
            assertNotNull(served, what + " pair " + pair);
            for (String[] f : new String[][] {{"chisq", "chiSquare"}, {"p", "p"}, {"p_holm", "pHolm"}, {"p_bonferroni", "pBonferroni"}}) {
                RAnswers.close(what + " pairwise " + f[0], pair.path(f[0]).asDouble(), served.path(f[1]).asDouble(), KM);
            }
        }
        JsonNode differences = tests.path("rmstDifferences");
        assertEquals(r.path("rmst_diff").size(), differences.size(), what + " RMST differences");
        for (int k = 0; k < differences.size(); k++) {
            JsonNode rd = r.path("rmst_diff").get(k);
            JsonNode d = differences.get(k);
            assertEquals(rd.path("level").asText(), d.path("level").asText());
            assertEquals(rd.path("reference").asText(), d.path("reference").asText());
            RAnswers.close(what + " RMST difference", rd.path("difference").asDouble(), d.path("difference").asDouble(), KM);
            RAnswers.close(what + " RMST difference SE", rd.path("se").asDouble(), d.path("stdErr").asDouble(), KM);
            RAnswers.close(what + " RMST difference p", rd.path("p").asDouble(), d.path("p").asDouble(), KM);
        }
        JsonNode cox = tests.path("cox");
        CoxAnswers.assertCoefficientsEqualR(what + " cox", r.path("cox"), cox.path("coefficients"), false);
        CoxAnswers.assertFitEqualsR(what + " cox", r.path("cox"), cox.path("tests"), cox.path("concordance"), cox.path("proportionalHazards"));
    }
}
