package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.survival.Distributions;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.TREATMENTS;

/**
 * The README's operator procedures on real Kafka and a MongoDB-wire server, with the packaged application started as
 * an operator starts it (environment variables only) next to the live service of this test:
 * <ul>
 *   <li>a rebuild (empty database, new consumer group) replays both topics and ends in the live state: the same
 *       stored histories and analysis records, the same dataset version and the same statistics;</li>
 *   <li>a restart serves the stored state at its dataset version before it consumes anything, and events delivered
 *       again after a crash (at worst all of them) change nothing.</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class RebuildIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int RESTART_READ_BATCH = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HAZARD_RATIOS = Set.of("hazardRatio", "lower", "upper");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.mongodb.connection-string")
    String mongoConnection;

    @ConfigProperty(name = "registry.analytics.database")
    String liveDatabase;

    private KafkaProbe kafka;
    private MongoClient mongo;

    @BeforeEach
    void connect() {
        kafka = new KafkaProbe(bootstrapServers);
        mongo = MongoClients.create(mongoConnection);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
        mongo.close();
    }

    @Test
    void aRebuildFromTheTopicsIntoAnEmptyDatabaseEndsInTheLiveState() {
        String site = publishVariedHistory();
        String run = run();
        String database = "analytics_rebuild_" + run;
        try (ServiceProcess rebuilt = ServiceProcess.start("rebuild-" + run, environment(database, "analytics-rebuild-" + run))) {
            awaitCaughtUp(rebuilt);
            // The packaged service in its production profile: no Swagger UI unless the deployment turns it on.
            RestAssured.given().port(rebuilt.port()).get("/q/swagger-ui/").then().statusCode(404);
            int live = RestAssured.port;
            JsonPath status = awaitRefreshed(rebuilt.port(), s -> true);
            // The live service has applied every event once it is at the rebuilt version: the version counts applied events.
            awaitRefreshed(live, s -> s.getLong("datasetVersion") == status.getLong("datasetVersion"));

            Map<String, Document> expected = storedHistories(liveDatabase);
            Map<String, Document> actual = storedHistories(database);
            assertEquals(expected.keySet(), actual.keySet(), "the same patients");
            expected.forEach((patient, history) -> assertEquals(history, actual.get(patient), patient));
            assertEquals(status.getLong("datasetVersion"), expected.values().stream().mapToLong(h -> h.getLong("version")).sum(),
                    "the dataset version is the number of events applied, the sum of the histories' versions");
            assertSiteAsPublished(site, actual);

            assertSameStatistics(statistics(live), statistics(rebuilt.port()));
        }
    }

    @Test
    void aRestartServesTheStoredStateAtOnceAndEventsDeliveredAgainChangeNothing() {
        publishVariedHistory();
        String run = run();
        String database = "analytics_restart_" + run;
        String group = "analytics-restart-" + run;
        JsonPath stopped;
        Map<String, JsonNode> servedBeforeStop;
        try (ServiceProcess first = ServiceProcess.start("restart-first-" + run, environment(database, group))) {
            awaitCaughtUp(first);
            stopped = awaitRefreshed(first.port(), s -> true);
            servedBeforeStop = statistics(first.port());
        }
        Map<String, Document> stored = storedHistories(database);

        // Same database, same group: every offset is committed, so what it serves comes from MongoDB, from its first answer.
        // Read back a few histories per reply, so that the start-up read takes many batches of the server's cursor.
        assertTrue(stored.size() > 2 * RESTART_READ_BATCH, "the stored histories span at least three batches: " + stored.size());
        Map<String, String> smallBatches = new HashMap<>(environment(database, group));
        smallBatches.put("REGISTRY_ANALYTICS_LOAD_READ_BATCH", String.valueOf(RESTART_READ_BATCH));
        ServiceProcess restarted = ServiceProcess.start("restart-second-" + run, smallBatches);
        try {
            JsonPath firstAnswer = firstAnswer(restarted);
            assertEquals(stopped.getLong("datasetVersion"), firstAnswer.getLong("datasetVersion"));
            assertEquals(stopped.getLong("datasetVersion"), firstAnswer.getLong("refreshedVersion"));
            assertSameStatistics(servedBeforeStop, statistics(restarted.port()));
        } finally {
            restarted.crash();
        }

        // After a crash the events applied since the last commit come again; at worst all of them, as for a new group.
        try (ServiceProcess redelivered = ServiceProcess.start("restart-third-" + run, environment(database, "analytics-redelivery-" + run))) {
            awaitCaughtUp(redelivered);
            JsonPath status = awaitRefreshed(redelivered.port(), s -> true);
            assertEquals(stopped.getLong("datasetVersion"), status.getLong("datasetVersion"), "no event counted twice");
            assertEquals(stored, storedHistories(database));
            assertSameStatistics(servedBeforeStop, statistics(redelivered.port()));
        }
    }

    /** What the README tells an operator to set, with the token key and issuer of the test tokens. */
    private Map<String, String> environment(String database, String group) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers, "QUARKUS_MONGODB_CONNECTION_STRING", mongoConnection,
                "REGISTRY_ANALYTICS_DATABASE", database, "REGISTRY_ANALYTICS_CONSUMER_GROUP", group,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", testPublicKeyFile().toString(), "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
    }

    /**
     * The packaged service reads the key from a file, as in production; the test key lives on the test class path.
     * Written once for all the processes this test starts.
     */
    private static synchronized Path testPublicKeyFile() {
        if (publicKeyFile == null) {
            try (InputStream key = RebuildIT.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEY_LOCATION)) {
                publicKeyFile = Files.createTempFile("analytics-test-key", ".pem");
                Files.write(publicKeyFile, key.readAllBytes());
                publicKeyFile.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    private static Path publicKeyFile;

    /** The requests of an analyst to one of the services. */
    private static RequestSpecification analyst(int port) {
        return given().port(port).header("Authorization", "Bearer " + TestTokens.analyst());
    }

    private static void awaitCaughtUp(ServiceProcess service) {
        Eventually.await("readiness of the service on port " + service.port() + " (log: " + service.log() + ")", () -> {
            assertTrue(service.isAlive(), () -> "the service stopped:\n" + tail(service));
            return ready(service.port());
        }, ready -> ready, WAIT);
    }

    private static boolean ready(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notListeningYet) {
            return false;
        }
    }

    /** The first status answer the service gives, polled from its start. */
    private static JsonPath firstAnswer(ServiceProcess service) {
        return Eventually.await("the first answer of the service on port " + service.port(), () -> {
            assertTrue(service.isAlive(), () -> "the service stopped:\n" + tail(service));
            try {
                return Optional.of(analyst(service.port()).get("/v1/statistics/status").then().statusCode(200).extract().jsonPath());
            } catch (Exception notListeningYet) {
                return Optional.<JsonPath>empty();
            }
        }, Optional::isPresent, WAIT).orElseThrow();
    }

    private static JsonPath awaitRefreshed(int port, java.util.function.Predicate<JsonPath> condition) {
        return Eventually.await("statistics refreshed at the dataset version on port " + port, () -> status(port),
                s -> s.getLong("refreshedVersion") == s.getLong("datasetVersion") && condition.test(s), WAIT, JsonPath::prettify);
    }

    private static JsonPath status(int port) {
        return analyst(port).get("/v1/statistics/status").then().statusCode(200).extract().jsonPath();
    }

    /**
     * Every answer computed from the incremental state (each endpoint ungrouped and by each factor, the predictors)
     * and some computed from the records (cohort summary, competing risks), without the times at which they were
     * computed. The dataset version is part of each answer.
     */
    private static Map<String, JsonNode> statistics(int port) {
        List<String> queries = new ArrayList<>(List.of("/v1/cohort/summary", "/v1/competing-risks?groupBy=episode_type"));
        List<String> factors = analyst(port).get("/v1/factors").then().statusCode(200).extract().jsonPath().getList("name");
        for (String endpoint : List.of("EFS", "OS")) {
            queries.add("/v1/survival?endpoint=" + endpoint);
            factors.forEach(f -> queries.add("/v1/survival?endpoint=" + endpoint + "&groupBy=" + f));
            queries.add("/v1/predictors?endpoint=" + endpoint);
        }
        Map<String, JsonNode> answers = new TreeMap<>();
        for (String query : queries) {
            try {
                answers.put(query, withoutTimes(JSON.readTree(analyst(port).get(query).then().statusCode(200).extract().asString())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return answers;
    }

    /**
     * Equal answers: every field exactly, the figures of Cox fits (predictors, a survival answer's tests.cox) to the
     * coefficients' and SEs' 1e-6 relative: hazard ratios and their limits on the log scale, Wald p-values as their z. The live service starts each Cox fit from the previous
     * coefficients, a fresh one from zero, and the iterations stop at R's criterion (1e-9 on the log-likelihood), a few
     * units in the seventh digit apart at most.
     */
    private static void assertSameStatistics(Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((query, answer) -> assertSameAnswer(answer, actual.get(query), query));
    }

    private static void assertSameAnswer(JsonNode expected, JsonNode actual, String path) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        if (path.contains(".predictors[") && HAZARD_RATIOS.contains(name) && expected.isNumber() && actual.isNumber()) {
            // exp(coef ± z se): the coefficients' 1e-6 relative carries over to the logarithm.
            double log = Math.log(expected.doubleValue());
            assertEquals(log, Math.log(actual.doubleValue()), 1e-6 * Math.max(1, Math.abs(log)), path);
        } else if (path.contains(".predictors[") && name.equals("waldP") && expected.isNumber() && actual.isNumber()) {
            // 2 Φ(−|z|) with z = coef / se: coefficient and SE 1e-6 relative each make z 2e-6 relative.
            double z = Distributions.normalQuantile(expected.doubleValue() / 2);
            assertEquals(z, Distributions.normalQuantile(actual.doubleValue() / 2), 2e-6 * Math.max(1, Math.abs(z)), path);
        } else if (fromCoxFit(path) && expected.isNumber() && actual.isNumber()) {
            // Coefficients, SEs, z, the model's tests, concordance and cox.zph of a fit: the same few units in the seventh digit.
            assertEquals(expected.doubleValue(), actual.doubleValue(), 1e-6 * Math.max(1, Math.abs(expected.doubleValue())), path);
        } else if (expected.isContainerNode() && expected.getNodeType() == actual.getNodeType() && expected.size() == actual.size()) {
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertSameAnswer(expected.get(i), actual.get(i), path + "[" + i + "]");
                }
            } else {
                assertEquals(List.copyOf(expected.properties()).stream().map(Map.Entry::getKey).toList(),
                        List.copyOf(actual.properties()).stream().map(Map.Entry::getKey).toList(), path);
                expected.properties().forEach(field -> assertSameAnswer(field.getValue(), actual.get(field.getKey()),
                        path + "." + field.getKey()));
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }

    /** A figure of a Cox fit: the predictors' models and the Cox block of a survival answer's tests. */
    private static boolean fromCoxFit(String path) {
        return path.contains(".predictors[") || path.contains(".tests.cox.");
    }

    private static JsonNode withoutTimes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("reflectsChangesUpTo", "computedAt"));
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            withoutTimes(children.next());
        }
        return node;
    }

    /**
     * Each patient's stored history. The order of the applied event ids is the order in which the two topics were
     * read, which a replay need not repeat; they are compared as sets.
     */
    private Map<String, Document> storedHistories(String database) {
        Map<String, Document> histories = new TreeMap<>();
        for (Document history : mongo.getDatabase(database).getCollection("patients").find()) {
            history.put("appliedEventIds", history.getList("appliedEventIds", String.class).stream().sorted().toList());
            histories.put(history.getString("_id"), history);
        }
        return histories;
    }

    /** The replay did what the events say, not merely the same as the live service. */
    private static void assertSiteAsPublished(String site, Map<String, Document> histories) {
        Map<String, List<Document>> records = new TreeMap<>();
        // Histories are keyed by site and pseudonym (S/S-P0): a pseudonym names a patient within its site.
        String prefix = site + "/" + site + "-";
        histories.forEach((patient, h) -> {
            if (patient.startsWith(prefix)) {
                records.put(patient.substring(prefix.length()), h.getList("analysisRecords", Document.class));
            }
        });
        assertEquals(List.of("P0", "P1", "P2", "P3", "P4"), List.copyOf(records.keySet()));
        // P0: the second episode closes the first's EFS (day 151), death ends both OS.
        assertEquals(List.of(151, 273), records.get("P0").stream().map(r -> r.getInteger("efsDays")).toList());
        assertEquals(List.of(424, 273), records.get("P0").stream().map(r -> r.getInteger("osDays")).toList());
        assertEquals(List.of(true, true), records.get("P0").stream().map(r -> r.getBoolean("osEvent")).toList());
        // P1: corrected to a relapse a month later; the immunotherapy line withdrawn, topotecan's kept.
        Document p1 = records.get("P1").get(0);
        assertEquals(List.of("relapse", "2021-03-01"), List.of(p1.getString("episodeType"), p1.getString("episodeDate")));
        assertEquals("yes", p1.get("covariates", Document.class).getString("irinotecan_or_topotecan"));
        assertEquals("no", p1.get("covariates", Document.class).getString("immunotherapy"));
        // P2: second episode, malignancy and death withdrawn: one episode censored at the remaining follow-up.
        assertEquals(1, records.get("P2").size());
        assertEquals(List.of(320, false), List.of(records.get("P2").get(0).getInteger("efsDays"), records.get("P2").get(0).getBoolean("efsEvent")));
        // P3: the patient record withdrawn, the episode kept, dead.
        assertEquals(true, records.get("P3").get(0).getBoolean("osEvent"));
    }

    /**
     * Five patients of a new site with every kind of event: episodes and a next episode, a death, a correction, every
     * withdrawal, treatments on the other topic (one before its episode), then a redelivery of two patients' events.
     */
    private String publishVariedHistory() {
        String site = "R" + run().toUpperCase();
        List<String[]> sent = new ArrayList<>();
        String p0 = site + "-P0";
        sent.add(send(EPISODES, p0, "PatientRecorded", """
                {"patientId":"%s","site":"%s","recordId":"PT-1","patientPseudonym":"%s","sex":"female","initialDiagnosisDate":"2019-05-01",
                 "mycnStatusAtDiagnosis":"amplified"}""".formatted(uuid(p0 + ":PT"), site, p0)));
        sent.add(send(TREATMENTS, p0, "TreatmentRecorded", treatment(site, p0, "T1", "EP-1", "\"chemotherapy\"", "\"irinotecan\",\"temozolomide\"")));
        sent.add(send(EPISODES, p0, "EpisodeRecorded", episode(site, p0, "E1", "EP-1", "relapse", "2021-01-01", 1, """
                ,"lymphNodeInvolvement":"regional","metastaticSites":["bone"],"biopsy":{"performed":true}""")));
        sent.add(send(EPISODES, p0, "ResponseAssessmentRecorded", assessment(site, p0, "A1", "E1", "EP-1", "PR")));
        sent.add(send(EPISODES, p0, "EpisodeRecorded", episode(site, p0, "E2", "EP-2", "progression", "2021-06-01", 2, "")));
        sent.add(send(EPISODES, p0, "FollowUpRecorded", followUp(site, p0, "F1", "2022-01-01", null)));
        sent.add(send(EPISODES, p0, "FollowUpRecorded", followUp(site, p0, "F2", "2022-03-01", "2022-03-01")));

        String p1 = site + "-P1";
        sent.add(send(EPISODES, p1, "EpisodeRecorded", episode(site, p1, "E1", "EP-1", "refractory", "2021-02-01", 1, "")));
        sent.add(send(TREATMENTS, p1, "TreatmentRecorded", treatment(site, p1, "T1", "EP-1", "\"immunotherapy\"", "\"dinutuximab_beta\"")));
        sent.add(send(EPISODES, p1, "EpisodeRecorded", episode(site, p1, "E1", "EP-1", "relapse", "2021-03-01", 1, "")));
        sent.add(send(TREATMENTS, p1, "TreatmentWithdrawn", withdrawal("treatment", uuid(p1 + ":T1"), site, "TR-T1", p1, "")));
        sent.add(send(TREATMENTS, p1, "TreatmentRecorded", treatment(site, p1, "T2", "EP-1", "\"chemotherapy\"", "\"topotecan\",\"cyclophosphamide\"")));
        sent.add(send(EPISODES, p1, "FollowUpRecorded", followUp(site, p1, "F1", "2022-06-01", null)));

        String p2 = site + "-P2";
        send(EPISODES, p2, "EpisodeRecorded", episode(site, p2, "E1", "EP-1", "relapse", "2021-01-15", 1, ""));
        send(EPISODES, p2, "EpisodeRecorded", episode(site, p2, "E2", "EP-2", "relapse", "2021-08-01", 2, ""));
        send(EPISODES, p2, "SecondMalignancyRecorded", """
                {"secondMalignancyId":"%s","site":"%s","recordId":"SM-1","patientPseudonym":"%s","diagnosisDate":"2021-10-01"}"""
                .formatted(uuid(p2 + ":SM"), site, p2));
        send(EPISODES, p2, "FollowUpRecorded", followUp(site, p2, "F1", "2021-12-01", null));
        send(EPISODES, p2, "FollowUpRecorded", followUp(site, p2, "F2", "2022-01-01", "2022-01-01"));
        send(EPISODES, p2, "EpisodeWithdrawn", withdrawal("episode", uuid(p2 + ":E2"), site, "EP-2", p2, ""));
        send(EPISODES, p2, "SecondMalignancyWithdrawn", withdrawal("second-malignancy", uuid(p2 + ":SM"), site, "SM-1", p2, ""));
        send(EPISODES, p2, "FollowUpWithdrawn", withdrawal("follow-up", uuid(p2 + ":F2"), site, "FU-2022-01-01", p2,
                ",\"lastFollowUpDate\":\"2021-12-01\""));

        String p3 = site + "-P3";
        send(EPISODES, p3, "PatientRecorded", """
                {"patientId":"%s","site":"%s","recordId":"PT-1","patientPseudonym":"%s","sex":"male","initialDiagnosisDate":"2019-01-01",
                 "mycnStatusAtDiagnosis":"not_amplified"}""".formatted(uuid(p3 + ":PT"), site, p3));
        send(EPISODES, p3, "EpisodeRecorded", episode(site, p3, "E1", "EP-1", "progression", "2020-05-01", 1, ""));
        send(EPISODES, p3, "ResponseAssessmentRecorded", assessment(site, p3, "A1", "E1", "EP-1", "PD"));
        send(EPISODES, p3, "ResponseAssessmentWithdrawn", withdrawal("response-assessment", uuid(p3 + ":A1"), site, "RA-1", p3, ""));
        send(EPISODES, p3, "PatientWithdrawn", withdrawal("patient", uuid(p3 + ":PT"), site, "PT-1", p3, ""));
        send(EPISODES, p3, "FollowUpRecorded", followUp(site, p3, "F1", "2020-12-01", "2020-12-01"));

        String p4 = site + "-P4";
        send(EPISODES, p4, "EpisodeRecorded", episode(site, p4, "E1", "EP-1", "relapse", "2022-02-01", 1, ""));
        send(TREATMENTS, p4, "TreatmentRecorded", treatment(site, p4, "T1", "EP-1", "\"chemotherapy\",\"local_radiotherapy\"", "\"cyclophosphamide\""));
        send(EPISODES, p4, "FollowUpRecorded", followUp(site, p4, "F1", "2023-02-01", null));

        // Delivered again, as after a crash of the write side's relay: the same envelope ids.
        sent.forEach(e -> kafka.send(e[0], e[1], e[2]));
        return site;
    }

    private String[] send(String topic, String patient, String type, String data) {
        String[] event = {topic, patient, RegistryEvents.envelope(RegistryEvents.id(type + data), type, patient, "episode-service", data)};
        kafka.send(event[0], event[1], event[2]);
        return event;
    }

    private static String episode(String site, String patient, String episode, String recordId, String type, String date, int order,
                                  String more) {
        return """
                {"episodeId":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s",
                 "episodeOrder":%d%s}""".formatted(uuid(patient + ":" + episode), site, recordId, patient, type, date, order, more);
    }

    private static String treatment(String site, String patient, String treatment, String episodeRecordId, String categories,
                                    String agentCodes) {
        return """
                {"treatmentId":"%s","site":"%s","recordId":"TR-%s","patientPseudonym":"%s","episodeRecordId":"%s","category":"chemotherapy",
                 "startDate":"2021-01-05","lineNumber":1,"categories":[%s],"agentCodes":[%s]}"""
                .formatted(uuid(patient + ":" + treatment), site, treatment, patient, episodeRecordId, categories, agentCodes);
    }

    private static String assessment(String site, String patient, String assessment, String episode, String episodeRecordId,
                                     String overall) {
        String component = overall.equals("PD") ? "PD" : "PR";
        return """
                {"assessmentId":"%s","site":"%s","recordId":"RA-1","patientPseudonym":"%s","episodeId":"%s","episodeRecordId":"%s",
                 "assessmentDate":"2021-03-15","primaryResponse":"%s","metastaticResponse":"%s","boneMarrowResponse":"CR",
                 "overallResponse":"%s","responseSystem":"INRC 2017","needsCentralReview":false}"""
                .formatted(uuid(patient + ":" + assessment), site, patient, uuid(patient + ":" + episode), episodeRecordId, component,
                        component, overall);
    }

    private static String followUp(String site, String patient, String followUp, String date, String death) {
        return """
                {"followUpId":"%s","site":"%s","recordId":"FU-%s","patientPseudonym":"%s","date":"%s","vitalStatus":"%s",
                 "lastFollowUpDate":"%s","deathDate":%s}""".formatted(uuid(patient + ":" + followUp), site, date, patient, date,
                death == null ? "alive" : "dead", date, death == null ? "null" : "\"" + death + "\"");
    }

    private static String withdrawal(String recordType, String id, String site, String recordId, String patient, String more) {
        return """
                {"recordType":"%s","id":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s"%s}"""
                .formatted(recordType, id, site, recordId, patient, more);
    }

    private static String uuid(String name) {
        return RegistryEvents.id(name).toString();
    }

    private static String run() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static String tail(ServiceProcess service) {
        try {
            List<String> lines = Files.readAllLines(service.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
