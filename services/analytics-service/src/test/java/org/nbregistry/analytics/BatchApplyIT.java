package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.WAIT;

/**
 * A poll's events applied as one batch, on real Kafka and a MongoDB-wire server: a burst is sent without waiting
 * (lingering, so that it reaches the broker in few requests and the consumer in few polls) and must give what the same
 * events give applied one at a time, exactly once, with poison messages dead-lettered alone and a redelivered batch
 * changing nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class BatchApplyIT {

    private static final int PATIENTS = 12;

    /** Metrics are served on the management interface, never on the application port. */
    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metricsUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, String> burst;

    @AfterEach
    void close() {
        if (burst != null) {
            burst.close();
        }
    }

    @Test
    void aBurstForManyPatientsGivesWhatTheSameEventsGiveOneAtATime() {
        String oneByOne = uniqueSite();
        for (String[] event : cohort(oneByOne)) {
            long before = datasetVersion();
            KafkaProbe.shared(bootstrapServers).send(EPISODES, event[0], event[1]);
            RegistryEvents.await(BatchApplyIT::status, s -> s.getLong("datasetVersion") == before + 1);
        }
        String batched = uniqueSite();
        List<String[]> events = cohort(batched);
        long before = datasetVersion();
        sendBurst(events);

        JsonPath status = RegistryEvents.await(BatchApplyIT::status, s -> s.getLong("datasetVersion") >= before + events.size()
                && s.getLong("refreshedVersion") == s.getLong("datasetVersion"));
        assertEquals(before + events.size(), status.getLong("datasetVersion"), "every event applied exactly once");
        for (String query : List.of("endpoint=EFS&groupBy=episode_type", "endpoint=OS&groupBy=episode_type", "endpoint=OS")) {
            assertEquals(answer(query, oneByOne), answer(query, batched), query);
        }
        assertEquals(summary(oneByOne), summary(batched));
        assertTrue(metric("registry_analytics_batch_size_max") > 1, "the burst was applied in batches");
    }

    @Test
    void aPoisonMessageInABatchIsDeadLetteredAndTheRestApply() {
        String site = uniqueSite();
        String notAnEvent = site + "-X1";
        String badDate = site + "-X2";
        List<String[]> events = new ArrayList<>();
        // Six patients (a group of five or more is shown), three before the poison messages and three after.
        for (int p = 0; p < 6; p++) {
            String patient = site + "-P" + p;
            if (p == 3) {
                events.add(new String[] {notAnEvent, "{\"broken\": \"" + notAnEvent + "\""});
                events.add(new String[] {badDate, RegistryEvents.episode(badDate, site, "EP-1", "relapse", "2021-01-01", 1)
                        .replace("\"episodeDate\":\"2021-01-01\"", "\"episodeDate\":\"01/01/2021\"")});
            }
            events.add(new String[] {patient, RegistryEvents.episode(patient, site, "EP-1", "relapse", "2021-01-0" + (p + 1), 1)});
        }
        events.add(new String[] {site + "-P5", RegistryEvents.followUp(site + "-P5", site, "2021-08-01", "2021-08-01")});
        long before = datasetVersion();
        sendBurst(events);

        KafkaProbe kafka = KafkaProbe.shared(bootstrapServers);
        var dead = kafka.read("registry.episode-events.dlq", r -> r.key() != null && r.key().startsWith(site),
                found -> found.size() >= 2, WAIT);
        assertEquals(List.of(notAnEvent, badDate), dead.stream().map(r -> r.key()).sorted().toList());
        JsonPath os = RegistryEvents.await(() -> answerJson("endpoint=OS", site), a -> Integer.valueOf(1).equals(a.get("overall.events")));
        assertEquals(6, os.getInt("overall.n"), "the events around the poison ones applied");
        assertEquals(before + 7, RegistryEvents.await(BatchApplyIT::status, s -> s.getLong("datasetVersion") >= before + 7)
                .getLong("datasetVersion"));
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        String site = uniqueSite();
        List<String[]> events = cohort(site);
        long before = datasetVersion();
        sendBurst(events);
        RegistryEvents.await(BatchApplyIT::status, s -> s.getLong("datasetVersion") >= before + events.size());
        Map<String, Object> applied = answer("endpoint=EFS&groupBy=episode_type", site);

        // The same messages again, then one new change per patient: on each patient's partition after its redelivery.
        long delivered = datasetVersion();
        List<String[]> again = new ArrayList<>(events);
        for (int p = 0; p < PATIENTS; p++) {
            String patient = site + "-P" + p;
            again.add(new String[] {patient, RegistryEvents.episode(patient, site, "EP-LATER", "progression", "2024-06-01", 2)});
        }
        sendBurst(again);
        JsonPath status = RegistryEvents.await(BatchApplyIT::status, s -> s.getLong("datasetVersion") >= delivered + PATIENTS
                && s.getLong("refreshedVersion") == s.getLong("datasetVersion"));
        assertEquals(delivered + PATIENTS, status.getLong("datasetVersion"), "the redelivered events counted nothing");
        JsonPath efs = answerJson("endpoint=EFS", site);
        assertEquals(2 * PATIENTS, efs.getInt("overall.n"), "each patient's first episode once, and the new one");
        assertTrue(!applied.equals(answer("endpoint=EFS&groupBy=episode_type", site)), "the new episodes end the first ones' EFS");
    }

    @Test
    void everyStageIsMeasured() {
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        for (String series : List.of("registry_analytics_batch_size_count", "registry_analytics_batch_apply_seconds_count",
                "registry_analytics_refresh_seconds_count", "registry_analytics_freshness_milliseconds_count",
                // The consumers' own metrics (Quarkus binds the Kafka clients SmallRye creates): lag per partition.
                "kafka_consumer_fetch_manager_records_lag_max")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(series)), series + " in /q/metrics");
        }
    }

    /**
     * Twelve patients with three to five events each, in an order that matters: a follow-up corrected by a later one,
     * a second episode withdrawn again, episode types six and six (no group suppressed).
     */
    private static List<String[]> cohort(String site) {
        List<String[]> events = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            String patient = site + "-P" + p;
            String date = "2021-%02d-01".formatted(1 + p % 12);
            events.add(new String[] {patient, RegistryEvents.episode(patient, site, "EP-1", p % 2 == 0 ? "relapse" : "refractory", date, 1)});
            events.add(new String[] {patient, RegistryEvents.followUp(patient, site, "2022-%02d-15".formatted(1 + p % 12), null)});
            if (p % 4 == 0) {
                events.add(new String[] {patient, RegistryEvents.episode(patient, site, "EP-2", "progression", "2022-01-01", 2)});
                events.add(new String[] {patient, RegistryEvents.envelope(RegistryEvents.id("withdraw:" + patient), "EpisodeWithdrawn",
                        patient, "episode-service", """
                        {"recordType":"episode","id":"%s","site":"%s","recordId":"EP-2","patientPseudonym":"%s"}"""
                        .formatted(RegistryEvents.id("episode:" + patient + ":EP-2"), site, patient))});
            }
            if (p % 3 == 0) {
                events.add(new String[] {patient, RegistryEvents.followUp(patient, site, "2022-09-09", "2022-09-09")});
            }
        }
        return events;
    }

    private void sendBurst(List<String[]> events) {
        if (burst == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            burst = new KafkaProducer<>(props);
        }
        events.forEach(e -> burst.send(new ProducerRecord<>(EPISODES, e[0], e[1])));
        burst.flush();
    }

    /** The answer without what differs between two sites or two moments. */
    private static Map<String, Object> answer(String query, String site) {
        Map<String, Object> answer = answerJson(query, site).getMap("");
        answer.keySet().removeAll(List.of("datasetVersion", "reflectsChangesUpTo", "cohort"));
        return answer;
    }

    private static JsonPath answerJson(String query, String site) {
        return given().get("/v1/survival?" + query + "&site=" + site).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> summary(String site) {
        Map<String, Object> summary = given().get("/v1/cohort/summary?site=" + site).then().statusCode(200).extract().jsonPath().getMap("");
        summary.keySet().removeAll(List.of("datasetVersion", "reflectsChangesUpTo", "cohort", "sites"));
        return summary;
    }

    private static JsonPath status() {
        return given().get("/v1/statistics/status").then().statusCode(200).extract().jsonPath();
    }

    private static long datasetVersion() {
        return status().getLong("datasetVersion");
    }

    private double metric(String name) {
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(0);
    }

    private static String uniqueSite() {
        return "B" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }
}
