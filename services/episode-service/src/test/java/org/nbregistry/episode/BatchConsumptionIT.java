package org.nbregistry.episode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.episode.DiseaseRecordFlowIT.envelope;
import static org.nbregistry.episode.DiseaseRecordFlowIT.episodeSubmitted;
import static org.nbregistry.episode.DiseaseRecordFlowIT.followUpSubmitted;
import static org.nbregistry.episode.DiseaseRecordFlowIT.pseudonym;

/** A poll's records applied together: exactly once, in per-patient order, poison isolated, redelivery harmless. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,postgres"),
        @ResourceArg(name = RealInfrastructureResource.POSTGRES_DATABASE, value = "episodes")})
class BatchConsumptionIT {

    /** Metrics are served on the management interface, never on the application port. */
    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metricsUrl;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "intake.clinical-records";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka() {
        return KafkaProbe.shared(bootstrapServers);
    }

    /** Per patient: a later episode, an earlier one, an alive contact, then a death before that contact. */
    private record PatientRecords(String patient, String late, String early, String alive, String deadTooEarly) {

        static PatientRecords fresh() {
            return new PatientRecords(pseudonym(), id(), id(), id(), id());
        }

        List<String> messages() {
            return List.of(
                    episodeSubmitted(UUID.randomUUID(), late, patient, patient + "-EP-LATE", "progression", "2024-09-01"),
                    episodeSubmitted(UUID.randomUUID(), early, patient, patient + "-EP-EARLY", "refractory", "2023-11-15"),
                    followUpSubmitted(UUID.randomUUID(), alive, patient, patient + "-FU-1", "2024-10-01", "alive"),
                    followUpSubmitted(UUID.randomUUID(), deadTooEarly, patient, patient + "-FU-2", "2024-03-01", "dead"));
        }
    }

    @Test
    void manyRecordsOfSeveralPatientsAreAppliedOnceEachInPerPatientOrder() {
        List<PatientRecords> patients = List.of(PatientRecords.fresh(), PatientRecords.fresh(), PatientRecords.fresh(),
                PatientRecords.fresh(), PatientRecords.fresh());
        kafka().sendAllRaw(TOPIC, interleaved(patients));

        Map<String, List<String>> verdicts = verdicts(patients.stream().map(PatientRecords::patient).collect(Collectors.toSet()), 20);
        for (PatientRecords p : patients) {
            assertEquals(List.of("RecordApplied"), verdicts.get(p.late()), "one verdict per record");
            assertEquals(List.of("RecordApplied"), verdicts.get(p.early()));
            assertEquals(List.of("RecordApplied"), verdicts.get(p.alive()));
            assertEquals(List.of("RecordRejected"), verdicts.get(p.deadTooEarly()), "the death is checked against the contact applied just before it");

            List<JsonNode> episodes = kafka().read("registry.episode-events", r -> r.key().equals(p.patient()) && r.value().contains("\"EpisodeRecorded\""),
                    found -> found.size() >= 3, WAIT).stream().map(BatchConsumptionIT::data).toList();
            assertEquals(3, episodes.size(), "the late episode, then the early one with the late one renumbered");
            assertEquals(List.of(p.patient() + "-EP-LATE:1", p.patient() + "-EP-EARLY:1", p.patient() + "-EP-LATE:2"), orderOf(episodes),
                    "published in the order the records were applied");
            given().get("/v1/sites/S01/patients/{p}", p.patient()).then().statusCode(200)
                    .body("episodes.size()", equalTo(2))
                    .body("followUps.size()", equalTo(1));
        }
        assertTrue(metric("registry_inbox_batch_size_max{topic=\"" + TOPIC + "\"") > 1, "several records were applied as one poll");
    }

    @Test
    void aPoisonMessageInTheMiddleOfABatchGoesToTheDeadLetterTopicAndTheRestIsApplied() {
        String patient = pseudonym();
        String first = id();
        String second = id();
        String third = id();
        String unknownType = id();
        kafka().sendAllRaw(TOPIC, List.of(
                Map.entry(patient, episodeSubmitted(UUID.randomUUID(), first, patient, patient + "-EP-1", "relapse", "2024-01-10")),
                Map.entry(patient, "{\"this is\": \"not an envelope for " + patient + "\"}"),
                Map.entry(patient, followUpSubmitted(UUID.randomUUID(), second, patient, patient + "-FU-1", "2024-06-01", "alive")),
                Map.entry(patient, envelope(UUID.randomUUID(), "NonsenseSubmitted", patient, unknownType, "{}")),
                Map.entry(patient, followUpSubmitted(UUID.randomUUID(), third, patient, patient + "-FU-2", "2024-07-01", "alive"))));

        Map<String, List<String>> verdicts = verdicts(Set.of(patient), 3);
        assertEquals(List.of("RecordApplied"), verdicts.get(first));
        assertEquals(List.of("RecordApplied"), verdicts.get(second));
        assertEquals(List.of("RecordApplied"), verdicts.get(third));
        List<ConsumerRecord<String, String>> dead = kafka().read(TOPIC + ".dlq", r -> patient.equals(r.key()), found -> found.size() >= 2, WAIT);
        assertEquals(2, dead.size(), "the record that is no envelope and the one of an unknown type");
        assertTrue(dead.stream().anyMatch(r -> r.value().contains("not an envelope")));
        assertTrue(dead.stream().anyMatch(r -> r.value().contains(unknownType)));
        for (ConsumerRecord<String, String> letter : dead) {
            assertEquals(TOPIC, header(letter, "dead-letter-topic"));
            assertTrue(Long.parseLong(header(letter, "dead-letter-offset")) >= 0);
            assertTrue(header(letter, "dead-letter-reason").length() > 0);
        }
        given().get("/v1/sites/S01/patients/{p}", patient).then().statusCode(200).body("followUps.size()", equalTo(2));
        assertTrue(metric("registry_inbox_dead_lettered_total{topic=\"" + TOPIC + "\"") >= 2);
    }

    @Test
    void theSameBatchRedeliveredChangesNothing() {
        List<PatientRecords> patients = List.of(PatientRecords.fresh(), PatientRecords.fresh());
        List<Map.Entry<String, String>> batch = interleaved(patients);
        Set<String> pseudonyms = patients.stream().map(PatientRecords::patient).collect(Collectors.toSet());
        kafka().sendAllRaw(TOPIC, batch);
        verdicts(pseudonyms, 8);

        kafka().sendAllRaw(TOPIC, batch);
        // Same keys, same partitions: once these markers have their verdicts, the redelivered batch was consumed.
        List<String> markers = new ArrayList<>();
        for (PatientRecords p : patients) {
            String marker = id();
            markers.add(marker);
            kafka().sendRaw(TOPIC, p.patient(), followUpSubmitted(UUID.randomUUID(), marker, p.patient(), p.patient() + "-FU-9", "2024-12-01", "alive"));
        }
        Map<String, List<String>> verdicts = verdicts(pseudonyms, 10);
        markers.forEach(m -> assertEquals(List.of("RecordApplied"), verdicts.get(m)));
        assertEquals(10, verdicts.values().stream().mapToInt(List::size).sum(), "no second verdict for the redelivered records");
        for (PatientRecords p : patients) {
            List<ConsumerRecord<String, String>> episodes = kafka().readFor("registry.episode-events",
                    r -> r.key().equals(p.patient()) && r.value().contains("\"EpisodeRecorded\""), Duration.ofSeconds(1));
            assertEquals(3, episodes.size(), "no second event for the redelivered episodes");
        }
    }

    /**
     * A throughput harness, not a timing assertion: a burst of records for 500 patients, timed from the first send
     * to the last verdict on registry.record-status (consumer, rules, PostgreSQL, outbox relay). Prints records/s.
     */
    @Test
    void aBurstOfRecordsIsAppliedCompletelyAndItsThroughputIsPrinted() {
        List<PatientRecords> patients = java.util.stream.Stream.generate(PatientRecords::fresh).limit(500).toList();
        List<Map.Entry<String, String>> burst = interleaved(patients);
        long started = System.nanoTime();
        kafka().sendAllRaw(TOPIC, burst);
        Map<String, List<String>> verdicts = verdicts(patients.stream().map(PatientRecords::patient).collect(Collectors.toSet()),
                burst.size(), Duration.ofMinutes(3));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("episode-service throughput: %d records in %.2f s = %.0f records/s%n", burst.size(), seconds, burst.size() / seconds);
        given().get(metricsUrl).then().extract().asString().lines()
                .filter(l -> l.startsWith("registry_inbox_batch") || l.startsWith("registry_outbox_relay_batch_size_count")
                        || l.startsWith("registry_outbox_relay_batch_size_sum"))
                .filter(l -> !l.contains("_bucket")).forEach(l -> System.out.println("  " + l));
        assertEquals(burst.size(), verdicts.size(), "one verdict per record");
    }

    /** The patients' records, one of each patient in turn, so that a poll mixes them. */
    private static List<Map.Entry<String, String>> interleaved(List<PatientRecords> patients) {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (PatientRecords p : patients) {
                all.add(Map.entry(p.patient(), p.messages().get(i)));
            }
        }
        return all;
    }

    /** Waits for {@code expected} verdicts of these patients; answers the verdict types per submission. */
    private Map<String, List<String>> verdicts(Set<String> patients, int expected) {
        return verdicts(patients, expected, WAIT);
    }

    private Map<String, List<String>> verdicts(Set<String> patients, int expected, Duration wait) {
        List<ConsumerRecord<String, String>> found = kafka().read("registry.record-status", r -> patients.contains(r.key()),
                records -> records.size() >= expected, wait);
        return found.stream().collect(Collectors.groupingBy(r -> envelopeOf(r).path("correlationId").asText(),
                Collectors.mapping(r -> envelopeOf(r).path("type").asText(), Collectors.toList())));
    }

    private static List<String> orderOf(List<JsonNode> episodes) {
        return episodes.stream().map(e -> e.path("recordId").asText() + ":" + e.path("episodeOrder").asInt()).toList();
    }

    private double metric(String seriesPrefix) {
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(seriesPrefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no series " + seriesPrefix + " in /q/metrics"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        assertTrue(header != null, "dead letter carries " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode envelopeOf(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode data(ConsumerRecord<String, String> record) {
        return envelopeOf(record).path("data");
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** Patient files are for the role operator. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.operator());
    }
}
