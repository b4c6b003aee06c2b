package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.OpenApiContract;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analytics-service against real Kafka and a MongoDB-wire server: domain events in, overall survival out. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class ProjectionFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    /**
     * Below the disclosure threshold the OS answer shows no numbers at all: on a registry that small it is shown
     * suppressed, and with enough episodes with its numbers (which the tests below compare).
     */
    @BeforeEach
    void aRegistryLargeEnoughToBeShown() {
        JsonPath now = os();
        if (!now.getBoolean("suppressed") && now.getInt("n") >= 5) {
            return;
        }
        JsonPath small = now;
        if (!now.getBoolean("suppressed")) {
            // An empty registry: one episode makes it too small to show.
            String first = pseudonym();
            kafka().send("registry.episode-events", first, episodeRecorded(UUID.randomUUID(), first, UUID.randomUUID().toString(), "2022-01-01", 1));
            small = awaitOs(os -> os.getLong("datasetVersion") > now.getLong("datasetVersion"));
        }
        assertTrue(small.getBoolean("suppressed"), small.prettify());
        assertNull(small.get("n"), "a suppressed answer shows no count");
        assertNull(small.get("events"));
        assertEquals(List.of(), small.getList("curve"));
        for (int i = 0; i < 5; i++) {
            String patient = pseudonym();
            kafka().send("registry.episode-events", patient, episodeRecorded(UUID.randomUUID(), patient, UUID.randomUUID().toString(), "2022-01-01", 1));
        }
        awaitOs(os -> !os.getBoolean("suppressed") && os.getInt("n") >= 5);
    }

    @Test
    void aDeathTurnsACensoredEpisodeIntoAnEventAtItsDay() {
        JsonPath before = os();
        String patient = pseudonym();
        String episodeId = UUID.randomUUID().toString();
        kafka().send("registry.episode-events", patient, episodeRecorded(UUID.randomUUID(), patient, episodeId, "2024-01-01", 1));
        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2024-03-01", "alive", "2024-03-01", null));
        JsonPath censored = awaitOs(os -> os.getInt("n") == before.getInt("n") + 1 && hasRow(os, 60, 0, 1));
        assertEquals(before.getInt("events"), censored.getInt("events"));

        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2024-04-10", "dead", "2024-04-10", "2024-04-10"));
        JsonPath died = awaitOs(os -> os.getInt("events") == before.getInt("events") + 1);
        assertEquals(before.getInt("n") + 1, died.getInt("n"));
        assertTrue(hasRow(died, 100, 1, 0), "the episode now ends in death on day 100");
        assertTrue(died.getLong("datasetVersion") > censored.getLong("datasetVersion"));
    }

    @Test
    void anotherSitesDeathUnderTheSamePseudonymIsAnotherPatients() {
        JsonPath before = os();
        String patient = pseudonym();
        kafka().send("registry.episode-events", patient, episodeRecorded(UUID.randomUUID(), patient, UUID.randomUUID().toString(), "2024-01-01", 1));
        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2024-03-01", "alive", "2024-03-01", null));
        awaitOs(os -> os.getInt("n") == before.getInt("n") + 1 && hasRow(os, 60, 0, 1));
        // Site S02's patient of the same pseudonym dies: S01's episode stays censored, S02's has no episode to end.
        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2024-04-10", "dead", "2024-04-10", "2024-04-10")
                .replace("\"site\":\"S01\"", "\"site\":\"S02\""));
        // Same key, same partition: once S01's later contact shows, S02's death was applied before it.
        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2024-05-01", "alive", "2024-05-01", null));
        JsonPath after = awaitOs(os -> hasRow(os, 121, 0, 1));
        assertEquals(before.getInt("events"), after.getInt("events"), "no death crossed from S02 to S01's patient");
        assertEquals(before.getInt("n") + 1, after.getInt("n"));
    }

    @Test
    void aRedeliveredEventIsCountedOnce() {
        JsonPath before = os();
        String patient = pseudonym();
        String event = episodeRecorded(UUID.randomUUID(), patient, UUID.randomUUID().toString(), "2023-05-05", 1);
        kafka().send("registry.episode-events", patient, event);
        kafka().send("registry.episode-events", patient, event);
        // Same key, same partition: the marker is applied after both copies.
        kafka().send("registry.episode-events", patient, followUpRecorded(patient, "2023-07-04", "alive", "2023-07-04", null));
        JsonPath after = awaitOs(os -> hasRow(os, 60, 0, 1) && os.getInt("n") >= before.getInt("n") + 1);
        assertEquals(before.getInt("n") + 1, after.getInt("n"), "two deliveries, one episode");
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopic() {
        String patient = pseudonym();
        kafka().sendRaw("registry.episode-events", patient, "{\"broken\": \"" + patient + "\"");
        assertEquals(1, kafka().read("registry.episode-events.dlq", r -> r.value().contains(patient), found -> !found.isEmpty(), WAIT).size());
    }

    @Test
    void theKaplanMeierEstimateFollowsTheCounts() {
        JsonPath os = os();
        List<Float> survival = os.getList("curve.survival", Float.class);
        for (int i = 1; i < survival.size(); i++) {
            assertTrue(survival.get(i) <= survival.get(i - 1), "a survival curve never rises");
        }
    }

    @Test
    void readinessReflectsKafkaAndMongo() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theServedOpenApiIsTheCheckedInContract() {
        OpenApiContract.assertServedEqualsCheckedIn(given().get("/q/openapi").then().statusCode(200).extract().asString(), "analytics.yaml");
    }

    private static boolean hasRow(JsonPath os, int day, int minEvents, int minCensored) {
        List<Integer> days = os.getList("curve.day", Integer.class);
        int i = days.indexOf(day);
        return i >= 0 && os.getInt("curve[" + i + "].events") >= minEvents && os.getInt("curve[" + i + "].censored") >= minCensored;
    }

    private static JsonPath os() {
        return given().get("/v1/survival/os").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitOs(Predicate<JsonPath> condition) {
        return Eventually.await("the expected OS answer", ProjectionFlowIT::os, condition, WAIT, JsonPath::prettify);
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String episodeRecorded(UUID id, String patient, String episodeId, String date, int order) {
        return envelope(id, "EpisodeRecorded", patient, """
                {"episodeId":"%s","site":"S01","recordId":"%s-EP","patientPseudonym":"%s","episodeType":"relapse",
                 "episodeDate":"%s","episodeOrder":%d}""".formatted(episodeId, patient, patient, date, order));
    }

    private static String followUpRecorded(String patient, String date, String vital, String last, String death) {
        return envelope(UUID.randomUUID(), "FollowUpRecorded", patient, """
                {"followUpId":"%s","site":"S01","recordId":"%s-FU-%s","patientPseudonym":"%s","date":"%s","vitalStatus":"%s",
                 "lastFollowUpDate":"%s","deathDate":%s}""".formatted(UUID.randomUUID(), patient, date, patient, date, vital, last,
                death == null ? "null" : "\"" + death + "\""));
    }

    private static String envelope(UUID id, String type, String patient, String data) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"episode-service",
                 "subject":"%s","correlationId":"sub-%s","data":%s}""".formatted(id, type, patient, id, data);
    }
}
