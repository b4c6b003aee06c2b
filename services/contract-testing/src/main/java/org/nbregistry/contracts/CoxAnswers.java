package org.nbregistry.contracts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Served Cox answers (analytics' /v1/models/cox, and the Cox block of a survival answer) against R's coxph as
 * analytics-service's fixture/cox_models.R writes it: coefficients, tests, concordance and cox.zph.
 */
public final class CoxAnswers {

    private CoxAnswers() {
    }

    /** The /v1/models/cox request for one of cox_models.R's models (factors, interaction, strata, cluster, ties). */
    public static String query(String endpoint, String sites, JsonNode model) {
        List<String> factors = new ArrayList<>();
        model.path("factors").forEach(f -> factors.add(f.asText()));
        StringBuilder q = new StringBuilder("/v1/models/cox?endpoint=" + endpoint + "&site=" + sites + "&terms=" + String.join(",", factors)
                + "&ties=" + model.path("ties").asText());
        if (model.has("interaction")) {
            q.append("&interaction=").append(model.path("interaction").get(0).asText()).append(':')
                    .append(model.path("interaction").get(1).asText());
        }
        if (model.has("strata")) {
            q.append("&strata=").append(model.path("strata").asText());
        }
        if (model.path("cluster").asBoolean(false)) {
            q.append("&cluster=patient");
        }
        return q.toString();
    }

    /** A /v1/models/cox answer against R's coxph on the same terms. */
    public static void assertModelEqualsR(String what, JsonNode r, JsonNode answer) {
        assertEquals(r.path("n").asInt(), answer.path("n").asInt(), what + " n");
        assertEquals(r.path("nevent").asInt(), answer.path("events").asInt(), what + " events");
        // Episodes without a value in a term or the strata factor are left out (listwise, as R's na.omit).
        assertEquals(r.path("dropped").asInt(0), answer.path("droppedForMissing").asInt(), what + " dropped for missing");
        assertEquals(r.path("ties").asText(), answer.path("ties").asText());
        boolean cluster = r.path("cluster").asBoolean(false);
        assertEquals(cluster, answer.path("cluster").asBoolean(), what + " cluster");
        assertTrue(answer.path("suppressed").isNull(), what + ": nothing withheld, " + answer.path("suppressed"));
        assertCoefficientsEqualR(what, r, answer.path("coefficients"), cluster);
        assertFitEqualsR(what, r, answer.path("tests"), answer.path("concordance"), answer.path("proportionalHazards"));
        if (cluster) {
            RAnswers.close(what + " robust score", r.path("robust_score").path("chisq").asDouble(),
                    answer.path("tests").path("robustScore").path("statistic").asDouble(), RAnswers.COX_TOLERANCE);
        } else {
            assertTrue(answer.path("tests").path("robustScore").isNull(), what + " no robust score");
        }
    }

    /** Served rows (term, level) against R's coefficient names (term + level; a:b as termlevel:termlevel). */
    public static void assertCoefficientsEqualR(String what, JsonNode r, JsonNode served, boolean cluster) {
        JsonNode terms = r.path("terms");
        assertEquals(terms.size(), served.size(), what + " coefficients");
        for (int j = 0; j < terms.size(); j++) {
            JsonNode t = terms.get(j);
            JsonNode c = served.get(j);
            assertEquals(t.path("name").asText(), rName(c), what + " coefficient " + j);
            assertFalse(c.path("suppressed").asBoolean(), what + " " + c + " shown");
            assertEquals("estimated", c.path("estimate").asText());
            String w = what + " " + t.path("name").asText();
            RAnswers.close(w + " coef", t.path("coef").asDouble(), c.path("coefficient").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(w + " se", t.path("se").asDouble(), c.path("stdErr").asDouble(), RAnswers.COX_TOLERANCE);
            if (cluster) {
                RAnswers.close(w + " robust se", t.path("robust_se").asDouble(), c.path("robustStdErr").asDouble(), RAnswers.COX_TOLERANCE);
            } else {
                assertTrue(c.path("robustStdErr").isNull(), w + " no robust SE");
            }
            RAnswers.close(w + " z", t.path("z").asDouble(), c.path("z").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(w + " p", t.path("p").asDouble(), c.path("p").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(w + " hr", t.path("hr").asDouble(), c.path("hazardRatio").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(w + " lower", t.path("lower").asDouble(), c.path("lower95").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(w + " upper", t.path("upper").asDouble(), c.path("upper95").asDouble(), RAnswers.COX_TOLERANCE);
        }
    }

    public static void assertFitEqualsR(String what, JsonNode r, JsonNode tests, JsonNode concordance, JsonNode ph) {
        for (String[] f : new String[][] {{"lrt", "likelihoodRatio"}, {"wald", "wald"}, {"score", "score"}}) {
            JsonNode rt = r.path(f[0]);
            JsonNode t = tests.path(f[1]);
            RAnswers.close(what + " " + f[1], rt.path("chisq").asDouble(), t.path("statistic").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(what + " " + f[1] + " p", rt.path("p").asDouble(), t.path("p").asDouble(), RAnswers.COX_TOLERANCE);
            assertEquals(rt.path("df").asInt(), t.path("df").asInt(), what + " " + f[1] + " df");
        }
        RAnswers.close(what + " concordance", r.path("concordance").asDouble(), concordance.path("value").asDouble(), RAnswers.TOLERANCE);
        RAnswers.close(what + " concordance SE", r.path("concordance_se").asDouble(), concordance.path("stdErr").asDouble(), RAnswers.TOLERANCE);
        JsonNode zph = r.path("zph");
        assertEquals(zph.size(), ph.size(), what + " cox.zph rows");
        for (int i = 0; i < zph.size(); i++) {
            JsonNode rz = zph.get(i);
            JsonNode z = ph.get(i);
            assertEquals(rz.path("term").asText(), z.path("term").asText(), what + " cox.zph term");
            RAnswers.close(what + " cox.zph " + rz.path("term"), rz.path("chisq").asDouble(), z.path("chisq").asDouble(), RAnswers.COX_TOLERANCE);
            RAnswers.close(what + " cox.zph p " + rz.path("term"), rz.path("p").asDouble(), z.path("p").asDouble(), RAnswers.COX_TOLERANCE);
            assertEquals(rz.path("df").asInt(), z.path("df").asInt(), what + " cox.zph df");
        }
    }

    private static String rName(JsonNode coefficient) {
        String term = coefficient.path("term").asText();
        String level = coefficient.path("level").asText();
        if (!term.contains(":")) {
            return term + level;
        }
        String[] t = term.split(":");
        String[] l = level.split(":");
        return t[0] + l[0] + ":" + t[1] + l[1];
    }
}
