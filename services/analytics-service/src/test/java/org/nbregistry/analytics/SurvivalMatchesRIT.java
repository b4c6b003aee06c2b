package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.CoxAnswers;
import org.nbregistry.contracts.RAnswers;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.io.IOException;
import java.io.UncheckedIOException;
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
                RAnswers.assertKaplanMeierEqualsR(endpoint + " overall " + conf, r.path("overall").path(conf), answer.path("overall"));
            }
        }
    }

    @Test
    void everyGroupCurveAndLogRankTestEqualsR() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            for (String factor : FACTORS) {
                JsonNode answer = get("/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&groupBy=" + factor + "&times=" + TIMES);
                RAnswers.assertSurvivalEqualsR(endpoint + " by " + factor, r, answer, factor);
            }
        }
    }

    @Test
    void predictorsEqualRsCoxModelsAndLogRankTests() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            JsonNode answer = get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES);
            for (String factor : FACTORS) {
                RAnswers.assertPredictorEqualsR(endpoint + " predictor " + factor, r.path("groups").path(factor),
                        RAnswers.find(answer.path("predictors"), "factor", factor));
            }
        }
    }

    @Test
    void predictorsCarryRsCoefficientsTestsConcordanceAndZph() {
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = expected(endpoint);
            JsonNode answer = get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES);
            for (String factor : FACTORS) {
                JsonNode cox = r.path("groups").path(factor).path("cox_efron");
                JsonNode predictor = RAnswers.find(answer.path("predictors"), "factor", factor);
                String what = endpoint + " predictor " + factor;
                for (JsonNode term : cox.path("terms")) {
                    JsonNode level = RAnswers.find(predictor.path("levels"), "level", term.path("term").asText().substring(2));
                    RAnswers.close(what + " coef", term.path("coef").asDouble(), level.path("coefficient").asDouble(), FullAnalysisAssertions.COX);
                    RAnswers.close(what + " se", term.path("se").asDouble(), level.path("stdErr").asDouble(), FullAnalysisAssertions.COX);
                    RAnswers.close(what + " z", term.path("z").asDouble(), level.path("z").asDouble(), FullAnalysisAssertions.COX);
                }
                for (String[] t : new String[][] {{"lrt", "likelihoodRatio"}, {"wald", "wald"}, {"score", "score"}}) {
                    RAnswers.close(what + " " + t[1], cox.path(t[0]).path("chisq").asDouble(),
                            predictor.path("tests").path(t[1]).path("statistic").asDouble(), FullAnalysisAssertions.COX);
                }
                RAnswers.close(what + " concordance", cox.path("concordance").asDouble(), predictor.path("concordance").path("value").asDouble(),
                        FullAnalysisAssertions.KM);
                RAnswers.close(what + " concordance SE", cox.path("concordance_se").asDouble(),
                        predictor.path("concordance").path("stdErr").asDouble(), FullAnalysisAssertions.KM);
                JsonNode global = RAnswers.find(predictor.path("proportionalHazards"), "term", "GLOBAL");
                RAnswers.close(what + " cox.zph", cox.path("cox_zph_km").path("chisq").asDouble(), global.path("chisq").asDouble(),
                        FullAnalysisAssertions.COX);
            }
        }
    }

    @Test
    void survivalAtADataCutOffAndFromALandmarkEqualsR() {
        loadCohortOnce();
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode asOf = RAnswers.resource("fixture/asof_" + endpoint.toLowerCase() + ".expected.json");
            JsonNode landmark = RAnswers.resource("fixture/landmark_" + endpoint.toLowerCase() + ".expected.json");
            for (String factor : Arrays.asList(null, "episode_type", "chemotherapy")) {
                String query = "/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&times=90,180,365"
                        + (factor == null ? "" : "&groupBy=" + factor);
                JsonNode then = get(query + "&asOf=" + RReference.AS_OF);
                assertEquals(RReference.AS_OF.toString(), then.path("asOf").asText());
                RAnswers.assertSurvivalEqualsR(endpoint + " as of " + RReference.AS_OF, asOf, then, factor);
                RAnswers.assertSurvivalEqualsR(endpoint + " from day " + RReference.LANDMARK, landmark,
                        get(query + "&landmark=" + RReference.LANDMARK), factor);
            }
        }
        JsonNode summary = get("/v1/cohort/summary?site=" + SITES + "&asOf=" + RReference.AS_OF);
        assertEquals(RAnswers.text("fixture/asof_os.csv").strip().split("\n").length - 1, summary.path("episodes").path("count").asInt(),
                "episodes known at the cut-off");
    }

    @Test
    void predictorsWithStandardErrorsClusteredByPatientEqualR() {
        loadCohortOnce();
        JsonNode r = RAnswers.resource("fixture/cox_cluster.expected.json");
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode answer = get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES + "&cluster=patient");
            RAnswers.assertClusteredPredictorsEqualR(endpoint, r.path(endpoint.toLowerCase()), answer, FACTORS);
            String csv = given().get("/v1/predictors?endpoint=" + endpoint + "&site=" + SITES + "&cluster=patient&format=csv").then()
                    .statusCode(200).extract().asString();
            JsonNode fxb = RAnswers.find(RAnswers.find(answer.path("predictors"), "factor", "site").path("levels"), "level", "FXB");
            assertTrue(csv.contains("," + fxb.path("lower").asDouble() + "," + fxb.path("upper").asDouble() + ","),
                    endpoint + ": the CSV has the robust interval");
        }
    }

    @Test
    void competingRisksEqualRsAalenJohansenAndGraysTest() {
        loadCohortOnce();
        for (String factor : List.of("episode_type", "site")) {
            JsonNode answer = get("/v1/competing-risks?site=" + SITES + "&groupBy=" + factor + "&times=90,180,365,730");
            RAnswers.assertCompetingRisksEqualR("by " + factor, RAnswers.resource("fixture/cr_" + factor + ".expected.json"), answer);
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


    @Test
    void fullAnalysisBySiteEqualsR() {
        loadCohortOnce();
        JsonNode analysis = RAnswers.resource("fixture/analysis.expected.json");
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = analysis.path(endpoint.toLowerCase());
            JsonNode answer = get("/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&groupBy=site&probs=0.1,0.25,0.5&tau=365&rho=1");
            FullAnalysisAssertions.assertGroupEqualsR(endpoint + " overall", r.path("overall"), answer.path("overall"));
            for (JsonNode level : r.path("site").path("levels")) {
                FullAnalysisAssertions.assertGroupEqualsR(endpoint + " " + level.asText(), r.path("site").path("groups").path(level.asText()),
                        RAnswers.find(answer.path("groups"), "level", level.asText()));
            }
            FullAnalysisAssertions.assertSiteTestsEqualR(endpoint + " by site", r.path("site"), answer.path("tests"));
            JsonNode stratified = get("/v1/survival?endpoint=" + endpoint + "&site=" + SITES + "&groupBy=chemotherapy&strata=site&rho=1")
                    .path("tests").path("stratified");
            assertEquals("site", stratified.path("strataBy").asText());
            RAnswers.close(endpoint + " chemotherapy stratified by site", r.path("chemotherapy_by_site").path("chisq").asDouble(),
                    stratified.path("chiSquare").asDouble(), FullAnalysisAssertions.KM);
            RAnswers.close(endpoint + " chemotherapy stratified by site p", r.path("chemotherapy_by_site").path("p").asDouble(),
                    stratified.path("p").asDouble(), FullAnalysisAssertions.KM);
        }
    }

    @Test
    void multivariableCoxModelsEqualR() {
        loadCohortOnce();
        JsonNode analysis = RAnswers.resource("fixture/analysis.expected.json");
        for (String endpoint : List.of("EFS", "OS")) {
            for (JsonNode model : analysis.path(endpoint.toLowerCase()).path("models")) {
                String name = endpoint + " " + model.path("name").asText();
                JsonNode answer = get(CoxAnswers.query(endpoint, SITES, model));
                if (model.path("name").asText().equals("order_radio_interaction")) {
                    assertSmallInteractionCellWithheld(name, model, answer);
                } else {
                    CoxAnswers.assertModelEqualsR(name, model, answer);
                }
            }
        }
    }

    /** One combination of episode_order and local_radiotherapy has 3 episodes: its term and the whole-model figures are withheld. */
    private static void assertSmallInteractionCellWithheld(String what, JsonNode r, JsonNode answer) {
        assertTrue(answer.path("suppressed").asText().contains("episode_order:local_radiotherapy"), what + ": " + answer.path("suppressed"));
        JsonNode rows = answer.path("coefficients");
        assertEquals(3, rows.size());
        JsonNode interaction = rows.get(2);
        assertTrue(interaction.path("suppressed").asBoolean() && interaction.path("coefficient").isNull()
                && interaction.path("hazardRatio").isNull(), what + ": the interaction is withheld");
        assertTrue(answer.path("tests").path("wald").path("statistic").isNull() && answer.path("concordance").path("value").isNull(),
                what + ": whole-model figures withheld");
        JsonNode global = answer.path("proportionalHazards").get(answer.path("proportionalHazards").size() - 1);
        assertEquals("GLOBAL", global.path("term").asText());
        assertTrue(global.path("chisq").isNull(), what + ": global cox.zph withheld");
        for (int j = 0; j < 2; j++) {
            RAnswers.close(what + " main effect " + j, r.path("terms").get(j).path("coef").asDouble(),
                    rows.get(j).path("coefficient").asDouble(), FullAnalysisAssertions.COX);
        }
    }

    private JsonNode expected(String endpoint) {
        loadCohortOnce();
        return RAnswers.resource("fixture/" + endpoint.toLowerCase() + ".expected.json");
    }

    /** Sends the fixture as the write side would, then waits until every episode, death and treatment is reflected. */
    private void loadCohortOnce() {
        if (loaded) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        String[] lines = RAnswers.text("fixture/cohort.csv").split("\n");
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
        JsonNode os = RAnswers.resource("fixture/os.expected.json");
        JsonNode efs = RAnswers.resource("fixture/efs.expected.json");
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
        JsonNode yes = RAnswers.find(answer.path("groups"), "level", "yes");
        return yes == null ? 0 : yes.path("n").asInt();
    }





    private static JsonNode get(String path) {
        String body = given().get(path).then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


}
