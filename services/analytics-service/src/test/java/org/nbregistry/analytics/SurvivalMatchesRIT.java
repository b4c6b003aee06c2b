package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fixture cohort (src/test/resources/fixture/cohort.csv) goes in as domain events through Kafka; the served
 * Kaplan–Meier tables, estimates, medians, log-rank tests and hazard ratios must equal what R's survival package
 * computed on EFS and OS derived by an independent R script (fixture/derive_fixture.R → *.expected.json).
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class SurvivalMatchesRIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITES = "FXA,FXB,FXC";
    private static final String TIMES = "180,365,730,1095";
    private static final double TOLERANCE = 1e-10;
    private static final List<String> FACTORS = List.of("episode_type", "episode_order", "site", "chemotherapy", "immunotherapy",
            "local_radiotherapy");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** The cohort is sent once per test JVM; its events carry fixed ids, so a second sending would change nothing. */
    private static boolean loaded;

    @Test
    void overallSurvivalEqualsR() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            for (String conf : List.of("log", "log-log")) {
                JsonNode answer = get("/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&confType=" + conf + "&times=" + TIMES);
                assertGroupEqualsR(endpoint + " overall " + conf, r.path("overall").path(conf), answer.path("overall"));
            }
        }
    }

    @Test
    void everyGroupCurveAndLogRankTestEqualsR() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            for (String factor : FACTORS) {
                JsonNode rg = r.path("groups").path(factor);
                JsonNode answer = get("/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&groupBy=" + factor + "&times=" + TIMES);
                String what = endpoint + " by " + factor;
                assertEquals(rg.path("levels").size(), answer.path("groups").size(), what + " levels");
                for (int g = 0; g < answer.path("groups").size(); g++) {
                    JsonNode group = answer.path("groups").get(g);
                    assertEquals(rg.path("levels").get(g).asText(), group.path("level").asText(), what + " level order");
                    assertGroupEqualsR(what + "=" + group.path("level").asText(), rg.path("km").path(group.path("level").asText()).path("log"), group);
                }
                JsonNode lr = rg.path("logrank");
                close(what + " chisq", lr.path("chisq").asDouble(), answer.path("comparison").path("chiSquare").asDouble(), TOLERANCE);
                close(what + " p", lr.path("p").asDouble(), answer.path("comparison").path("p").asDouble(), TOLERANCE);
                assertEquals(lr.path("df").asInt(), answer.path("comparison").path("df").asInt(), what + " df");
            }
        }
    }

    @Test
    void predictorsEqualRsCoxModelsAndLogRankTests() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            JsonNode answer = get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES);
            for (String factor : FACTORS) {
                JsonNode rg = r.path("groups").path(factor);
                JsonNode predictor = find(answer.path("predictors"), "factor", factor);
                String what = endpoint + " predictor " + factor;
                assertEquals(rg.path("reference").asText(), predictor.path("reference").asText(), what + " reference");
                close(what + " log-rank p", rg.path("logrank").path("p").asDouble(), predictor.path("logRankP").asDouble(), TOLERANCE);
                for (JsonNode term : rg.path("cox_efron").path("terms")) {
                    String level = term.path("term").asText().substring(".g".length());
                    JsonNode row = find(predictor.path("levels"), "level", level);
                    assertEquals("estimated", row.path("estimate").asText(), what + " " + level);
                    close(what + " HR " + level, term.path("hr").asDouble(), row.path("hazardRatio").asDouble(), 1e-6);
                    close(what + " lower " + level, term.path("hr_lower").asDouble(), row.path("lower").asDouble(), 1e-6);
                    close(what + " upper " + level, term.path("hr_upper").asDouble(), row.path("upper").asDouble(), 1e-6);
                    close(what + " Wald p " + level, term.path("wald_p").asDouble(), row.path("waldP").asDouble(), 1e-6);
                }
                int n = 0;
                for (String level : iterable(rg.path("levels"))) {
                    JsonNode row = find(predictor.path("levels"), "level", level);
                    JsonNode km = rg.path("km").path(level);
                    assertEquals(km.path("n").asInt(), row.path("n").asInt(), what + " n " + level);
                    assertEquals(km.path("n_event").asInt(), row.path("events").asInt(), what + " events " + level);
                    n += row.path("n").asInt();
                }
                assertEquals(rg.path("n_used").asInt(), n, what + " episodes used");
            }
        }
    }

    @Test
    void survivalAtADataCutOffAndFromALandmarkEqualsR() {
        loadCohortOnce();
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode asOf = RReference.resource("fixture/asof_" + endpoint.toLowerCase() + ".expected.json");
            JsonNode landmark = RReference.resource("fixture/landmark_" + endpoint.toLowerCase() + ".expected.json");
            for (String factor : Arrays.asList(null, "episode_type", "chemotherapy")) {
                String query = "/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&times=90,180,365"
                        + (factor == null ? "" : "&groupBy=" + factor);
                JsonNode then = get(query + "&asOf=" + RReference.AS_OF);
                assertEquals(RReference.AS_OF.toString(), then.path("asOf").asText());
                RReference.assertSurvivalEqualsR(endpoint + " as of " + RReference.AS_OF, asOf, then, factor);
                RReference.assertSurvivalEqualsR(endpoint + " from day " + RReference.LANDMARK, landmark,
                        get(query + "&landmark=" + RReference.LANDMARK), factor);
            }
        }
        JsonNode summary = get("/v1/cohort/summary?site=" + SITES + "&asOf=" + RReference.AS_OF);
        assertEquals(RReference.text("fixture/asof_os.csv").strip().split("\n").length - 1, summary.path("episodes").path("count").asInt(),
                "episodes known at the cut-off");
    }

    @Test
    void predictorsWithStandardErrorsClusteredByPatientEqualR() {
        loadCohortOnce();
        JsonNode r = RReference.resource("fixture/cox_cluster.expected.json");
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode answer = get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES + "&cluster=patient");
            RReference.assertClusteredPredictorsEqualR(endpoint, r.path(endpoint.toLowerCase()), answer, FACTORS);
            String csv = given().get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES + "&cluster=patient&format=csv").then()
                    .statusCode(200).extract().asString();
            JsonNode fxb = find(find(answer.path("predictors"), "factor", "site").path("levels"), "level", "FXB");
            assertTrue(csv.contains("," + fxb.path("lower").asDouble() + "," + fxb.path("upper").asDouble() + ","),
                    endpoint + ": the CSV has the robust interval");
        }
    }

    @Test
    void competingRisksEqualRsAalenJohansenAndGraysTest() {
        loadCohortOnce();
        for (String factor : List.of("episode_type", "site")) {
            JsonNode answer = get("/v1/competing-risks?site=" + SITES + "&groupBy=" + factor + "&times=90,180,365,730");
            RReference.assertCompetingRisksEqualR("by " + factor, RReference.resource("fixture/cr_" + factor + ".expected.json"), answer);
        }
        String csv = given().get("/v1/competing-risks?site=" + SITES + "&format=csv").then().statusCode(200)
                .header("Content-Disposition", startsWith("attachment; filename=\"competing-risks-v")).extract().asString();
        JsonNode overall = get("/v1/competing-risks?site=" + SITES).path("overall");
        int rows = 0;
        for (JsonNode cause : overall.path("causes")) {
            rows += cause.path("table").size();
        }
        assertEquals(rows + 1, csv.split("\r\n").length, "one CSV row per cause and day, and the header");
    }

    /** One group's (or the cohort's) KM table, S at the fixed times and median with CI against R's block. */
    private static void assertGroupEqualsR(String what, JsonNode r, JsonNode group) {
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
            closeOrNull(at + " SE", e.path("std_err_surv"), a.path("stdErr"));
            closeOrNull(at + " lower", e.path("lower"), a.path("lower"));
            closeOrNull(at + " upper", e.path("upper"), a.path("upper"));
        }
        for (JsonNode e : r.path("surv_at")) {
            JsonNode a = find(group.path("estimates"), "day", e.path("time").asText());
            String at = what + " S(" + e.path("time").asInt() + ")";
            boolean beyond = e.path("beyond_follow_up").asBoolean();
            assertEquals(!beyond, a.path("estimable").asBoolean(), at + " estimable");
            assertEquals(beyond ? 0 : e.path("n_risk").asInt(), a.path("atRisk").asInt(), at + " at risk");
            if (!beyond) {
                close(at, e.path("surv").asDouble(), a.path("survival").asDouble(), TOLERANCE);
                closeOrNull(at + " lower", e.path("lower"), a.path("lower"));
                closeOrNull(at + " upper", e.path("upper"), a.path("upper"));
            }
        }
        closeOrNull(what + " median", r.path("median").path("median"), group.path("median").path("days"));
        closeOrNull(what + " median lower", r.path("median").path("lower"), group.path("median").path("lower"));
        closeOrNull(what + " median upper", r.path("median").path("upper"), group.path("median").path("upper"));
    }

    private JsonNode expected(String endpoint) {
        loadCohortOnce();
        return resource("fixture/" + endpoint.toLowerCase() + ".expected.json");
    }

    /** Sends the fixture as the write side would, then waits until every episode, death and treatment is reflected. */
    private void loadCohortOnce() {
        if (loaded) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        String[] lines = text("fixture/cohort.csv").split("\n");
        for (int i = 1; i < lines.length; i++) {
            rows.add(lines[i].split(",", -1));
        }
        Map<String, List<String[]>> byPatient = new LinkedHashMap<>();
        rows.forEach(row -> byPatient.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row));
        int treatments = 0;
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            for (Map.Entry<String, List<String[]>> patient : byPatient.entrySet()) {
                List<String[]> episodes = new ArrayList<>(patient.getValue());
                episodes.sort((a, b) -> a[2].compareTo(b[2]));
                String pseudonym = patient.getKey();
                for (int order = 1; order <= episodes.size(); order++) {
                    String[] e = episodes.get(order - 1);
                    String recordId = "EP-" + e[2];
                    kafka.send(RegistryEvents.EPISODES, pseudonym, RegistryEvents.episode(pseudonym, e[1], recordId, e[3], e[2], order));
                    for (String category : e[4].isEmpty() ? new String[0] : e[4].split(";")) {
                        kafka.send(RegistryEvents.TREATMENTS, pseudonym, RegistryEvents.treatment(pseudonym, e[1], recordId, category, e[2]));
                        treatments++;
                    }
                }
                String[] last = episodes.get(0);
                kafka.send(RegistryEvents.EPISODES, pseudonym, RegistryEvents.followUp(pseudonym, last[1], last[5], last[6].isEmpty() ? null : last[6]));
            }
        }
        JsonNode os = resource("fixture/os.expected.json");
        JsonNode efs = resource("fixture/efs.expected.json");
        int episodes = rows.size();
        int expectedTreatments = treatments;
        Instant deadline = Instant.now().plus(RegistryEvents.WAIT);
        while (true) {
            JsonNode osAnswer = get("/v1/survival?endpoint=OS&site=" + SITES + "&groupBy=chemotherapy");
            JsonNode efsAnswer = get("/v1/survival?endpoint=EFS&site=" + SITES);
            JsonNode immuno = get("/v1/survival?endpoint=OS&site=" + SITES + "&groupBy=immunotherapy");
            JsonNode radio = get("/v1/survival?endpoint=OS&site=" + SITES + "&groupBy=local_radiotherapy");
            int yes = yesCount(osAnswer) + yesCount(immuno) + yesCount(radio);
            if (osAnswer.path("overall").path("n").asInt() == episodes
                    && osAnswer.path("overall").path("events").asInt() == os.path("overall").path("n_event").asInt()
                    && efsAnswer.path("overall").path("events").asInt() == efs.path("overall").path("n_event").asInt()
                    && yes == expectedTreatments) {
                loaded = true;
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("the fixture cohort was never fully reflected; last OS answer: " + osAnswer);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int yesCount(JsonNode answer) {
        JsonNode yes = find(answer.path("groups"), "level", "yes");
        return yes == null ? 0 : yes.path("n").asInt();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return null;
    }

    private static Iterable<String> iterable(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void closeOrNull(String what, JsonNode expected, JsonNode actual) {
        if (expected.isNull() || expected.isMissingNode()) {
            assertTrue(actual.isNull() || actual.isMissingNode(), what + ": R has NA, served " + actual);
        } else {
            close(what, expected.asDouble(), actual.asDouble(), TOLERANCE);
        }
    }

    private static void close(String what, double expected, double actual, double relative) {
        assertEquals(expected, actual, relative * Math.max(1, Math.abs(expected)), what);
    }

    private static JsonNode get(String path) {
        String body = given().get(path).then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode resource(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        try (InputStream in = SurvivalMatchesRIT.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
