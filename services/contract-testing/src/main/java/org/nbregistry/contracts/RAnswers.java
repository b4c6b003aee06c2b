package org.nbregistry.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares what analytics-service serves (its JSON) with R's answers as ../shared/reference/reference.R prints them,
 * for every test that proves "numbers are R's numbers": on events sent to analytics, or on a cohort sent through intake.
 */
public final class RAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Kaplan–Meier and log-rank: R's arithmetic done in another order. */
    public static final double TOLERANCE = 1e-10;
    /** Cox estimates: R stops iterating at a relative log-likelihood change below 1e-9. */
    public static final double COX_TOLERANCE = 1e-6;
    /** Competing-risks causes in R's codes (1 next episode, 2 death without progression) as the API names them. */
    public static final List<String> CAUSES = List.of("progression", "death_without_progression");

    private RAnswers() {
    }

    /** The Kaplan–Meier answer overall and, with a factor, per level with the log-rank test, against reference.R's output. */
    public static void assertSurvivalEqualsR(String what, JsonNode r, JsonNode answer, String factor) {
        assertKaplanMeierEqualsR(what + " overall", r.path("overall").path("log"), answer.path("overall"));
        if (factor == null) {
            return;
        }
        JsonNode rg = r.path("groups").path(factor);
        assertEquals(rg.path("levels").size(), answer.path("groups").size(), what + " levels of " + factor);
        for (int g = 0; g < answer.path("groups").size(); g++) {
            JsonNode group = answer.path("groups").get(g);
            String level = group.path("level").asText();
            assertEquals(rg.path("levels").get(g).asText(), level, what + " level order");
            assertKaplanMeierEqualsR(what + " " + factor + "=" + level, rg.path("km").path(level).path("log"), group);
        }
        JsonNode lr = rg.path("logrank");
        close(what + " log-rank chisq", lr.path("chisq").asDouble(), answer.path("comparison").path("chiSquare").asDouble(), TOLERANCE);
        close(what + " log-rank p", lr.path("p").asDouble(), answer.path("comparison").path("p").asDouble(), TOLERANCE);
        assertEquals(lr.path("df").asInt(), answer.path("comparison").path("df").asInt(), what + " df");
    }

    /** One group's (or the cohort's) KM table, S at the fixed times and median with CI against R's block. */
    public static void assertKaplanMeierEqualsR(String what, JsonNode r, JsonNode group) {
        assertEquals(false, group.path("suppressed").asBoolean(), what + " suppressed");
        JsonNode table = r.path("table");
        JsonNode rows = group.path("table");
        assertEquals(table.size(), rows.size(), what + " distinct days");
        for (int i = 0; i < table.size(); i++) {
            JsonNode e = table.get(i);
            JsonNode a = rows.get(i);
            String at = what + " day " + e.path("time").asInt();
            assertEquals(e.path("time").asInt(), a.path("day").asInt(), at);
            assertEquals(e.path("n_risk").asInt(), a.path("atRisk").asInt(), at + " at risk");
            assertEquals(e.path("n_event").asInt(), a.path("events").asInt(), at + " events");
            assertEquals(e.path("n_censor").asInt(), a.path("censored").asInt(), at + " censored");
            close(at + " S", e.path("surv").asDouble(), a.path("survival").asDouble(), TOLERANCE);
            closeOrNull(at + " SE", e.path("std_err_surv"), a.path("stdErr"), TOLERANCE);
            closeOrNull(at + " lower", e.path("lower"), a.path("lower"), TOLERANCE);
            closeOrNull(at + " upper", e.path("upper"), a.path("upper"), TOLERANCE);
        }
        for (JsonNode e : r.path("surv_at")) {
            JsonNode a = find(group.path("estimates"), "day", e.path("time").asText());
            String at = what + " S(" + e.path("time").asInt() + ")";
            assertNotNull(a, at + " not served");
            boolean beyond = e.path("beyond_follow_up").asBoolean();
            assertEquals(!beyond, a.path("estimable").asBoolean(), at + " estimable");
            if (!beyond) {
                assertEquals(e.path("n_risk").asInt(), a.path("atRisk").asInt(), at + " at risk");
                close(at, e.path("surv").asDouble(), a.path("survival").asDouble(), TOLERANCE);
                closeOrNull(at + " lower", e.path("lower"), a.path("lower"), TOLERANCE);
                closeOrNull(at + " upper", e.path("upper"), a.path("upper"), TOLERANCE);
            }
        }
        closeOrNull(what + " median", r.path("median").path("median"), group.path("median").path("days"), TOLERANCE);
        closeOrNull(what + " median lower", r.path("median").path("lower"), group.path("median").path("lower"), TOLERANCE);
        closeOrNull(what + " median upper", r.path("median").path("upper"), group.path("median").path("upper"), TOLERANCE);
    }

    /**
     * One factor of the predictors answer against R: reference level, log-rank p, each level's n and events, and the
     * Cox (Efron) hazard ratio with CI and Wald p of every non-reference level.
     */
    public static void assertPredictorEqualsR(String what, JsonNode rg, JsonNode predictor) {
        assertNotNull(predictor, what + " not served");
        assertEquals(rg.path("reference").asText(), predictor.path("reference").asText(), what + " reference");
        close(what + " log-rank p", rg.path("logrank").path("p").asDouble(), predictor.path("logRankP").asDouble(), TOLERANCE);
        for (JsonNode term : rg.path("cox_efron").path("terms")) {
            String level = term.path("term").asText().substring(".g".length());
            JsonNode row = find(predictor.path("levels"), "level", level);
            assertNotNull(row, what + " " + level + " not served");
            assertEquals("estimated", row.path("estimate").asText(), what + " " + level);
            close(what + " HR " + level, term.path("hr").asDouble(), row.path("hazardRatio").asDouble(), COX_TOLERANCE);
            close(what + " lower " + level, term.path("hr_lower").asDouble(), row.path("lower").asDouble(), COX_TOLERANCE);
            close(what + " upper " + level, term.path("hr_upper").asDouble(), row.path("upper").asDouble(), COX_TOLERANCE);
            close(what + " Wald p " + level, term.path("wald_p").asDouble(), row.path("waldP").asDouble(), COX_TOLERANCE);
        }
        int n = 0;
        for (JsonNode levelName : rg.path("levels")) {
            String level = levelName.asText();
            JsonNode row = find(predictor.path("levels"), "level", level);
            assertNotNull(row, what + " " + level + " not served");
            JsonNode km = rg.path("km").path(level);
            assertEquals(km.path("n").asInt(), row.path("n").asInt(), what + " n " + level);
            assertEquals(km.path("n_event").asInt(), row.path("events").asInt(), what + " events " + level);
            n += row.path("n").asInt();
        }
        assertEquals(rg.path("n_used").asInt(), n, what + " episodes used");
    }

    /**
     * The predictors answer with cluster=patient against coxph(..., cluster = patient): same hazard ratios, intervals and
     * Wald p from the robust SE, and every level's n and events.
     */
    public static void assertClusteredPredictorsEqualR(String what, JsonNode r, JsonNode answer, List<String> factors) {
        assertEquals("robust_cluster_patient", answer.path("standardErrors").asText(), what);
        for (String factor : factors) {
            JsonNode rf = r.path(factor);
            JsonNode predictor = find(answer.path("predictors"), "factor", factor);
            String at = what + " " + factor;
            assertNotNull(predictor, at + " not served");
            assertEquals(rf.path("reference").asText(), predictor.path("reference").asText(), at + " reference");
            int n = 0;
            int events = 0;
            for (JsonNode level : predictor.path("levels")) {
                n += level.path("n").asInt();
                events += level.path("events").asInt();
            }
            assertEquals(rf.path("n").asInt(), n, at + " n");
            assertEquals(rf.path("n_event").asInt(), events, at + " events");
            for (JsonNode term : rf.path("terms")) {
                String level = term.path("level").asText();
                JsonNode row = find(predictor.path("levels"), "level", level);
                assertNotNull(row, at + " " + level + " not served");
                assertEquals("estimated", row.path("estimate").asText(), at + " " + level);
                close(at + " HR " + level, term.path("hr").asDouble(), row.path("hazardRatio").asDouble(), COX_TOLERANCE);
                close(at + " lower " + level, term.path("lower").asDouble(), row.path("lower").asDouble(), COX_TOLERANCE);
                close(at + " upper " + level, term.path("upper").asDouble(), row.path("upper").asDouble(), COX_TOLERANCE);
                close(at + " Wald p " + level, term.path("p").asDouble(), row.path("waldP").asDouble(), COX_TOLERANCE);
            }
        }
    }
    /** The competing-risks answer against reference_cr.R's: every group's incidence table and estimates, and Gray's tests. */
    public static void assertCompetingRisksEqualR(String what, JsonNode r, JsonNode answer) {
        assertIncidenceEqualsR(what + " overall", r.path("overall"), answer.path("overall"));
        if (r.path("by_group").isMissingNode()) {
            return;
        }
        List<String> levels = new ArrayList<>();
        r.path("by_group").fieldNames().forEachRemaining(levels::add);
        assertEquals(levels.size(), answer.path("groups").size(), what + " levels");
        for (int g = 0; g < levels.size(); g++) {
            JsonNode group = answer.path("groups").get(g);
            assertEquals(levels.get(g), group.path("level").asText(), what + " level order");
            assertIncidenceEqualsR(what + " " + levels.get(g), r.path("by_group").path(levels.get(g)), group);
        }
        for (JsonNode test : r.path("gray_test")) {
            String cause = CAUSES.get(test.path("cause").asInt() - 1);
            JsonNode served = find(answer.path("tests"), "cause", cause);
            assertNotNull(served, what + " Gray's test of " + cause);
            assertEquals(false, served.path("suppressed").asBoolean(), what + " Gray " + cause + " suppressed");
            close(what + " Gray statistic " + cause, test.path("stat").asDouble(), served.path("statistic").asDouble(), TOLERANCE);
            close(what + " Gray p " + cause, test.path("p").asDouble(), served.path("p").asDouble(), TOLERANCE);
            assertEquals(test.path("df").asInt(), served.path("df").asInt(), what + " Gray df " + cause);
        }
    }
    /** One group's (or the cohort's) incidence of each cause against R's block for it. */
    public static void assertIncidenceEqualsR(String what, JsonNode r, JsonNode group) {
        assertEquals(false, group.path("suppressed").asBoolean(), what + " suppressed");
        assertEquals(r.path("n").asInt(), group.path("n").asInt(), what + " n");
        for (JsonNode rc : r.path("causes")) {
            String cause = CAUSES.get(rc.path("cause").asInt() - 1);
            JsonNode served = find(group.path("causes"), "cause", cause);
            String at = what + " " + cause;
            assertNotNull(served, at + " not served");
            JsonNode curve = rc.path("curve");
            JsonNode rows = served.path("table");
            assertEquals(curve.size(), rows.size(), at + " distinct days");
            int events = 0;
            for (int i = 0; i < curve.size(); i++) {
                JsonNode e = curve.get(i);
                JsonNode a = rows.get(i);
                String day = at + " day " + e.path("time").asInt();
                assertEquals(e.path("time").asInt(), a.path("day").asInt(), day);
                assertEquals(e.path("n_risk").asInt(), a.path("atRisk").asInt(), day + " at risk");
                assertEquals(e.path("n_event").asInt(), a.path("events").asInt(), day + " events");
                close(day + " incidence", e.path("cif").asDouble(), a.path("cumulativeIncidence").asDouble(), TOLERANCE);
                closeOrNull(day + " SE", e.path("std_err"), a.path("stdErr"), TOLERANCE);
                closeOrNull(day + " lower", e.path("lower"), a.path("lower"), TOLERANCE);
                closeOrNull(day + " upper", e.path("upper"), a.path("upper"), TOLERANCE);
                events += e.path("n_event").asInt();
            }
            assertEquals(events, served.path("events").asInt(), at + " events");
            double lastDay = curve.get(curve.size() - 1).path("time").asDouble();
            for (JsonNode e : rc.path("at")) {
                JsonNode a = find(served.path("estimates"), "day", e.path("time").asText());
                String day = at + " F(" + e.path("time").asInt() + ")";
                assertNotNull(a, day + " not served");
                boolean beyond = e.path("time").asDouble() > lastDay;
                assertEquals(!beyond, a.path("estimable").asBoolean(), day + " estimable");
                if (!beyond) {
                    close(day, e.path("cif").asDouble(), a.path("cumulativeIncidence").asDouble(), TOLERANCE);
                    closeOrNull(day + " SE", e.path("std_err"), a.path("stdErr"), TOLERANCE);
                    closeOrNull(day + " lower", e.path("lower"), a.path("lower"), TOLERANCE);
                    closeOrNull(day + " upper", e.path("upper"), a.path("upper"), TOLERANCE);
                }
            }
        }
    }

    public static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return null;
    }

    public static void closeOrNull(String what, JsonNode expected, JsonNode actual, double relative) {
        if (expected.isNull() || expected.isMissingNode()) {
            assertTrue(actual.isNull() || actual.isMissingNode(), what + ": R has NA, served " + actual);
        } else {
            assertTrue(actual.isNumber(), what + ": R has " + expected + ", served " + actual);
            close(what, expected.asDouble(), actual.asDouble(), relative);
        }
    }

    public static void close(String what, double expected, double actual, double relative) {
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), what);
    }

    /** A JSON resource on the caller's class path, e.g. R's answers committed beside the test. */
    public static JsonNode resource(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
