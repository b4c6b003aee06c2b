package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.TREATMENTS;

/** The analyst API on real Kafka and MongoDB-wire: derivations, grouping, disclosure control, problems, coalescing. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class AnalystApiIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    @Test
    void aLaterEpisodeClosesEfsAndADeathClosesEverythingOpen() {
        String site = uniqueSite();
        for (int p = 0; p < 5; p++) {
            String patient = site + "-P" + p;
            kafka().send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", "relapse", "2022-01-01", 1));
            kafka().send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-2", "progression", "2022-04-11", 2));
            kafka().send(EPISODES, patient, RegistryEvents.followUp(patient, site, "2022-09-08", "2022-09-08"));
        }
        JsonPath efs = awaitSurvival("endpoint=EFS&groupBy=episode_order&site=" + site, a -> a.getInt("overall.events") == 10);
        assertEquals(List.of("first", "successive"), efs.getList("groups.level"));
        assertRow(efs, "groups[0].table", 100, 5, 5, 0);
        assertRow(efs, "groups[1].table", 150, 5, 5, 0);

        JsonPath os = awaitSurvival("endpoint=OS&groupBy=episode_order&site=" + site, a -> a.getInt("overall.events") == 10);
        assertRow(os, "groups[0].table", 250, 5, 5, 0);
        assertRow(os, "groups[1].table", 150, 5, 5, 0);
        assertEquals(false, os.getBoolean("groups[0].estimates.find { it.day == 365 }.estimable"), "beyond the last follow-up");
        assertNull(os.get("groups[0].estimates.find { it.day == 365 }.survival"));
    }

    @Test
    void aGroupBelowTheThresholdIsSuppressedWithItsReasonAndSoIsTheTest() {
        String site = uniqueSite();
        for (int p = 0; p < 4; p++) {
            sendAliveEpisode(site, site + "-P" + p, "relapse", "2021-03-01", "2022-03-01");
        }
        sendAliveEpisode(site, site + "-R", "refractory", "2021-05-01", "2022-01-01");
        JsonPath four = awaitSurvival("endpoint=OS&groupBy=episode_type&site=" + site, a -> a.getInt("overall.n") == 5);
        assertEquals(List.of("refractory", "relapse_progression"), four.getList("groups.level"));
        for (int g = 0; g < 2; g++) {
            assertTrue(four.getBoolean("groups[" + g + "].suppressed"));
            assertEquals("fewer than 5 episodes (disclosure control)", four.getString("groups[" + g + "].suppressionReason"));
            assertNull(four.get("groups[" + g + "].n"));
            assertEquals(List.of(), four.getList("groups[" + g + "].table"));
        }
        assertTrue(four.getBoolean("comparison.suppressed"));
        assertNull(four.get("comparison.p"));

        sendAliveEpisode(site, site + "-P4", "progression", "2021-04-01", "2022-02-01");
        JsonPath five = awaitSurvival("endpoint=OS&groupBy=episode_type&site=" + site, a -> a.getInt("overall.n") == 6);
        assertTrue(five.getBoolean("groups[0].suppressed"), "one refractory episode stays hidden");
        assertEquals("fewer than 5 episodes (disclosure control)", five.getString("groups[0].suppressionReason"));
        // Shown, the five would give the hidden one as 6 − 0 excluded − 5.
        assertTrue(five.getBoolean("groups[1].suppressed"), "the other group is withheld with it");
        assertTrue(five.getString("groups[1].suppressionReason").startsWith("withheld so that"), five.getString("groups[1].suppressionReason"));
        assertNull(five.get("groups[1].n"));
        assertEquals(0, five.getInt("excluded"));
        assertTrue(five.getBoolean("comparison.suppressed"));

        JsonPath predictors = given().get("/v1/predictors?endpoint=OS&site=" + site).then().statusCode(200).extract().jsonPath();
        String type = "predictors.find { it.factor == 'episode_type' }";
        assertEquals(List.of(true, true), predictors.getList(type + ".levels.suppressed"));
        assertEquals(Arrays.asList(null, null), predictors.getList(type + ".levels.n"));
    }

    @Test
    void treatmentsGroupTheirOwnEpisodeAndPredictorsReportEachFactor() {
        String site = uniqueSite();
        for (int p = 0; p < 10; p++) {
            String patient = site + "-P" + p;
            kafka().send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", p < 5 ? "refractory" : "relapse", "2020-01-01", 1));
            // Both types followed over the same days, deaths in each: the hazard ratio is finite.
            String last = LocalDate.of(2020, 1, 1).plusDays(100L * (p % 5 + 1)).toString();
            kafka().send(EPISODES, patient, RegistryEvents.followUp(patient, site, last, p % 5 == 0 || p % 5 == 2 ? last : null));
            if (p >= 5) {
                kafka().send(TREATMENTS, patient, RegistryEvents.treatment(patient, site, "EP-1", "immunotherapy", "2020-01-10"));
            }
        }
        JsonPath grouped = awaitSurvival("endpoint=OS&groupBy=immunotherapy&site=" + site,
                a -> a.getInt("overall.n") == 10 && a.getList("groups.level").equals(List.of("no", "yes")) && a.getInt("groups[1].n") == 5);
        assertEquals(5, grouped.getInt("groups[0].n"), "the episodes of patients 0-4 had no immunotherapy");

        JsonPath predictors = given().get("/v1/predictors?endpoint=OS&site=" + site).then().statusCode(200).extract().jsonPath();
        Map<String, Object> type = predictors.getMap("predictors.find { it.factor == 'episode_type' }");
        assertEquals("refractory", type.get("reference"));
        assertNotSuppressedWithHazardRatio(predictors, "episode_type", "relapse_progression");
        assertEquals(false, predictors.getBoolean("predictors.find { it.factor == 'immunotherapy' }.suppressed"));
        assertEquals("model", predictors.getString("standardErrors"));
        assertEquals(Factors.all().stream().map(Factors.Factor::name).toList(), predictors.getList("predictors.factor"), "one row per factor");
        assertEquals("fewer than two levels in this cohort", predictors.getString("predictors.find { it.factor == 'site' }.note"));
    }

    @Test
    void theIncrementalAnswerForEveryoneEqualsTheFromScratchAnswerForTheSameEpisodes() {
        sendAliveEpisode(uniqueSite(), "PSN-" + UUID.randomUUID().toString().substring(0, 8), "relapse", "2021-01-01", "2021-06-01");
        for (String factor : List.of("site", "episode_type", "chemotherapy")) {
            JsonPath[] pair = stablePair(factor);
            assertEquals(pair[0].getString("groups"), pair[1].getString("groups"), "groups by " + factor);
            assertEquals(pair[0].getString("overall"), pair[1].getString("overall"));
            assertEquals(pair[0].getString("comparison"), pair[1].getString("comparison"));
        }
    }

    @Test
    void aBurstOfEventsIsCoalescedAndFullyReflected() {
        JsonPath before = status();
        long started = System.nanoTime();
        String site = uniqueSite();
        int patients = 400;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int p = 0; p < patients; p++) {
                String patient = site + "-B" + p;
                producer.send(new ProducerRecord<>(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", "relapse", "2021-01-01", 1)));
                producer.send(new ProducerRecord<>(EPISODES, patient, RegistryEvents.followUp(patient, site, "2021-02-01",
                        p % 2 == 0 ? "2021-02-01" : null)));
            }
            producer.flush();
        }
        JsonPath after = awaitSurvival("endpoint=OS&site=" + site, a -> a.getInt("overall.n") == patients && a.getInt("overall.events") == patients / 2);
        assertRow(after, "overall.table", 31, patients, patients / 2, patients / 2);
        JsonPath status = RegistryEvents.await(AnalystApiIT::status, s -> s.getLong("refreshedVersion") == s.getLong("datasetVersion"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long changes = status.getLong("datasetVersion") - before.getLong("datasetVersion");
        long refreshes = status.getLong("refreshCount") - before.getLong("refreshCount");
        assertTrue(changes >= 2L * patients, "every event changed the dataset: " + changes);
        // Refreshes are at least the configured 100 ms apart, however fast the events come.
        assertTrue(refreshes <= elapsedMillis / 100 + 2, refreshes + " refreshes in " + elapsedMillis + " ms");
        assertTrue(refreshes * 2 < changes, refreshes + " refreshes for " + changes + " changes");
    }

    @Test
    void badParametersAreProblemDocumentsNamingTheParameter() {
        assertProblem("", 400, "endpoint", "required");
        assertProblem("endpoint=PFS", 400, "endpoint", "enum");
        assertProblem("endpoint=OS&groupBy=colour", 400, "groupBy", "enum");
        assertProblem("endpoint=OS&from=2022-01-01&to=2021-01-01", 400, "from", "range");
        assertProblem("endpoint=OS&from=yesterday", 400, "from", "format");
        assertProblem("endpoint=OS&site=s1", 400, "site", "pattern");
        assertProblem("endpoint=OS&episodeType=remission", 400, "episodeType", "enum");
        assertProblem("endpoint=OS&confType=linear", 400, "confType", "enum");
        assertProblem("endpoint=OS&confLevel=1.5", 400, "confLevel", "range");
        assertProblem("endpoint=OS&times=365,-1", 400, "times", "range");
        assertProblem("endpoint=OS&firstEpisodesOnly=maybe", 400, "firstEpisodesOnly", "format");
        given().get("/v1/predictors?endpoint=XYZ").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("endpoint"));
        assertProblem("endpoint=OS&asOf=30.06.2021", 400, "asOf", "format");
        assertProblem("endpoint=OS&landmark=-1", 400, "landmark", "range");
        assertProblem("endpoint=OS&landmark=day90", 400, "landmark", "format");
        given().get("/v1/predictors?endpoint=OS&cluster=site").then().statusCode(400).body("errors[0].field", equalTo("cluster"))
                .body("errors[0].rule", equalTo("enum"));
        given().get("/v1/competing-risks?format=svg").then().statusCode(400).body("errors[0].field", equalTo("format"));
        given().get("/v1/competing-risks?groupBy=colour").then().statusCode(400).body("errors[0].field", equalTo("groupBy"))
                .body("errors[0].rule", equalTo("enum"));
        assertProblem("endpoint=OS&probs=0.5,1", 400, "probs", "range");
        assertProblem("endpoint=OS&tau=0", 400, "tau", "range");
        assertProblem("endpoint=OS&rho=-1", 400, "rho", "range");
        assertProblem("endpoint=OS&strata=site", 400, "strata", "requires");
        assertProblem("endpoint=OS&groupBy=site&strata=site", 400, "strata", "distinct");
        assertProblem("endpoint=OS&groupBy=site&strata=colour", 400, "strata", "enum");
        for (String[] bad : new String[][] {
                {"endpoint=OS", "terms", "required"},
                {"endpoint=OS&terms=site,colour", "terms", "enum"},
                {"endpoint=OS&terms=site,site", "terms", "unique"},
                {"endpoint=OS&terms=site,chemotherapy&interaction=site:colour", "interaction", "enum"},
                {"endpoint=OS&terms=site,chemotherapy&interaction=site:immunotherapy", "interaction", "terms"},
                {"endpoint=OS&terms=site,chemotherapy&interaction=site", "interaction", "format"},
                {"endpoint=OS&terms=site,chemotherapy&strata=site", "strata", "distinct"},
                {"endpoint=OS&terms=chemotherapy&strata=colour", "strata", "enum"},
                {"endpoint=OS&terms=chemotherapy&ties=exact", "ties", "enum"},
                {"endpoint=OS&terms=chemotherapy&cluster=site", "cluster", "enum"},
                {"endpoint=PFS&terms=chemotherapy", "endpoint", "enum"}}) {
            given().get("/v1/models/cox?" + bad[0]).then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo(bad[1])).body("errors[0].rule", equalTo(bad[2]));
        }
    }

    @Test
    void factorsListEveryGroupingWithItsLabel() {
        given().get("/v1/factors").then().statusCode(200)
                .body("name", equalTo(Factors.all().stream().map(Factors.Factor::name).toList()))
                .body("find { it.name == 'irinotecan_or_topotecan' }.label", equalTo("Irinotecan or topotecan used"))
                .body("findAll { it.keySet() != ['name', 'label'] as Set }", empty());
    }

    private static void assertNotSuppressedWithHazardRatio(JsonPath predictors, String factor, String level) {
        String path = "predictors.find { it.factor == '" + factor + "' }.levels.find { it.level == '" + level + "' }";
        assertEquals(false, predictors.getBoolean(path + ".suppressed"));
        assertEquals("estimated", predictors.getString(path + ".estimate"));
        assertTrue(predictors.getDouble(path + ".hazardRatio") > 0);
        assertTrue(predictors.getDouble(path + ".lower") < predictors.getDouble(path + ".upper"));
    }

    /** The all-registry answer (incremental) and the same episodes named by site (from scratch), at one dataset version. */
    private static JsonPath[] stablePair(String factor) {
        for (int attempt = 0; attempt < 50; attempt++) {
            JsonPath all = RegistryEvents.await(() -> survival("endpoint=OS&groupBy=" + factor),
                    a -> a.getLong("datasetVersion") == status().getLong("datasetVersion"));
            List<String> sites = survival("endpoint=OS&groupBy=site").getList("groups.level");
            JsonPath named = survival("endpoint=OS&groupBy=" + factor + "&site=" + String.join(",", sites));
            if (named.getLong("datasetVersion") == all.getLong("datasetVersion")) {
                return new JsonPath[] {all, named};
            }
        }
        throw new AssertionError("the dataset never stood still long enough to compare");
    }

    private void sendAliveEpisode(String site, String patient, String type, String date, String lastFollowUp) {
        kafka().send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", type, date, 1));
        kafka().send(EPISODES, patient, RegistryEvents.followUp(patient, site, lastFollowUp, null));
    }

    private static void assertProblem(String query, int status, String field, String rule) {
        given().get(query.isEmpty() ? "/v1/survival" : "/v1/survival?" + query).then().statusCode(status).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("instance", equalTo("/v1/survival"))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].rule", equalTo(rule));
    }

    private static void assertRow(JsonPath answer, String table, int day, int atRisk, int events, int censored) {
        Map<String, Object> row = answer.getMap(table + ".find { it.day == " + day + " }");
        assertTrue(row != null, "no row at day " + day + " in " + table + ": " + answer.prettify());
        assertEquals(atRisk, row.get("atRisk"), "at risk on day " + day);
        assertEquals(events, row.get("events"), "events on day " + day);
        assertEquals(censored, row.get("censored"), "censored on day " + day);
    }

    /** Waits for the condition; an answer still missing the figures it reads (e.g. suppressed so far) does not meet it. */
    private static JsonPath awaitSurvival(String query, java.util.function.Predicate<JsonPath> condition) {
        return RegistryEvents.await(() -> survival(query), a -> {
            try {
                return condition.test(a);
            } catch (RuntimeException missing) {
                return false;
            }
        });
    }

    private static JsonPath survival(String query) {
        return given().get("/v1/survival?" + query).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath status() {
        return given().get("/v1/statistics/status").then().statusCode(200).extract().jsonPath();
    }

    private static String uniqueSite() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }
}
