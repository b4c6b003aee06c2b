package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;

/**
 * The freshness histogram at /q/metrics counts each applied event once, with its age from intake's acceptance
 * (acceptedAt), or from occurredAt for an event without it.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class FreshnessMetricIT {

    private static final String METRIC = "registry_analytics_freshness_milliseconds";
    private static final String EPISODE = "type=\"EpisodeRecorded\"";
    private static final String FOLLOW_UP = "type=\"FollowUpRecorded\"";

    /** Metrics are served on the management interface, never on the application port. */
    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metricsUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void eachAppliedEventIsCountedOnceWithItsAgeWhenTheStatisticsReflectIt() {
        // Quiet first, so that what the counters gain is this test's events.
        RegistryEvents.await(() -> given().get("/v1/statistics/status").then().statusCode(200).extract().jsonPath(),
                s -> s.getLong("refreshedVersion") == s.getLong("datasetVersion"));
        String before = metrics();
        assertTrue(before.contains("# TYPE " + METRIC + " histogram"), "a histogram at /q/metrics");
        double count0 = sample(before, METRIC + "_count", EPISODE);
        double fast0 = sample(before, METRIC + "_bucket", EPISODE, "le=\"10000.0\"");

        String site = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        int events = 6;
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            String first = null;
            for (int p = 0; p < events; p++) {
                String patient = site + "-P" + p;
                String event = RegistryEvents.occurredAt(RegistryEvents.episode(patient, site, "EP-1", "relapse", "2024-01-01", 1), Instant.now());
                kafka.send(EPISODES, patient, event);
                first = first == null ? event : first;
            }
            // A redelivery is not a new application; the same key keeps it before the last event, which the wait below sees.
            kafka.send(EPISODES, site + "-P0", first);
            String patient = site + "-P0";
            kafka.send(EPISODES, patient, RegistryEvents.occurredAt(RegistryEvents.episode(patient, site, "EP-2", "progression", "2024-05-01", 2),
                    Instant.now()));
        }
        String after = RegistryEvents.await(() -> given().get(metricsUrl).then().statusCode(200).extract().asString(),
                m -> sample(m, METRIC + "_count", EPISODE) >= count0 + events + 1);
        assertEquals(count0 + events + 1, sample(after, METRIC + "_count", EPISODE), "the redelivered event is not counted again");
        assertEquals(fast0 + events + 1, sample(after, METRIC + "_bucket", EPISODE, "le=\"10000.0\""),
                "stamped now, so reflected within 10 s");
        assertTrue(sample(after, METRIC + "_sum", EPISODE) > 0, series(after));
    }

    @Test
    void theAgeCountsFromIntakesAcceptanceWhenTheEnvelopeCarriesIt() {
        RegistryEvents.await(() -> given().get("/v1/statistics/status").then().statusCode(200).extract().jsonPath(),
                s -> s.getLong("refreshedVersion") == s.getLong("datasetVersion"));
        String before = metrics();
        double count0 = sample(before, METRIC + "_count", FOLLOW_UP);
        double largest0 = sample(before, METRIC + "_bucket", FOLLOW_UP, "le=\"300000.0\"");
        double sum0 = sample(before, METRIC + "_sum", FOLLOW_UP);

        // Recorded by the write side just now, accepted by intake an hour ago (e.g. held while episode-service was down).
        String site = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        String patient = site + "-P0";
        Instant now = Instant.now();
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            kafka.send(EPISODES, patient, RegistryEvents.acceptedAt(RegistryEvents.occurredAt(
                    RegistryEvents.followUp(patient, site, "2024-06-01", null), now), now.minus(Duration.ofHours(1))));
        }
        String after = RegistryEvents.await(this::metrics, m -> sample(m, METRIC + "_count", FOLLOW_UP) >= count0 + 1);
        assertEquals(count0 + 1, sample(after, METRIC + "_count", FOLLOW_UP));
        assertEquals(largest0, sample(after, METRIC + "_bucket", FOLLOW_UP, "le=\"300000.0\""),
                "older than the largest bucket, as measured from acceptedAt: " + series(after));
        assertTrue(sample(after, METRIC + "_sum", FOLLOW_UP) - sum0 >= 3_600_000, series(after));
    }

    private static String series(String exposition) {
        return exposition.lines().filter(l -> l.contains(METRIC)).reduce("", (a, b) -> a + "\n" + b);
    }

    private String metrics() {
        return given().get(metricsUrl).then().statusCode(200).extract().asString();
    }

    /** The sample's value, or 0 while the series does not exist yet; every label given must be on the line. */
    private static double sample(String exposition, String name, String... labels) {
        Matcher line = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)", Pattern.MULTILINE).matcher(exposition);
        while (line.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= line.group(1).contains(label);
            }
            if (all) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }
}
