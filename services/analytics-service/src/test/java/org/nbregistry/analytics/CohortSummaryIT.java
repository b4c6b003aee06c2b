package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.TREATMENTS;

/** The cohort's descriptive table for a cohort sent through Kafka, with disclosure control. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class CohortSummaryIT {

    private static final String WITHHELD = "fewer than 5 (disclosure control)";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theSummaryCountsPatientsEpisodesTypesTreatmentsAndSitesAndWithholdsSmallCounts() {
        String site = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        // Eleven patients with one relapse each; one of them progresses later: 12 episodes.
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            for (int p = 0; p < 11; p++) {
                String patient = site + "-P" + p;
                kafka.send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", "relapse", "2022-01-01", 1));
                kafka.send(EPISODES, patient, RegistryEvents.followUp(patient, site, "2023-01-01", null));
                if (p < 6) {
                    kafka.send(TREATMENTS, patient, RegistryEvents.treatment(patient, site, "EP-1", "chemotherapy", "2022-01-02"));
                }
                if (p < 2) {
                    kafka.send(TREATMENTS, patient, RegistryEvents.treatment(patient, site, "EP-1", "immunotherapy", "2022-01-02"));
                }
            }
            String patient = site + "-P0";
            kafka.send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-2", "progression", "2022-06-01", 2));
        }
        JsonPath summary = RegistryEvents.await(() -> summary("?site=" + site), s -> Integer.valueOf(12).equals(s.get("episodes.count"))
                && Integer.valueOf(6).equals(s.get("treatmentUse.find { it.category == 'chemotherapy' }.used.count")));

        assertEquals(List.of(site), summary.getList("cohort.sites"));
        assertEquals(11, summary.getInt("patients.count"));
        assertEquals(1.09, summary.getDouble("meanEpisodesPerPatient"), 1e-9);
        assertEquals(5, summary.getInt("minGroupSize"));
        assertCell(summary, "episodesPerPatient.find { it.level == '1' }", null, "withheld so that");
        assertCell(summary, "episodesPerPatient.find { it.level == '2' }", null, WITHHELD);
        assertCell(summary, "episodesPerPatient.find { it.level == '3 or more' }", 0, null);
        assertCell(summary, "episodeType.find { it.level == 'refractory' }", 0, null);
        assertCell(summary, "episodeType.find { it.level == 'progression' }", null, WITHHELD);
        assertCell(summary, "episodeType.find { it.level == 'relapse' }", null, "withheld so that");
        assertCell(summary, "treatmentUse.find { it.category == 'chemotherapy' }.used", 6, null);
        assertEquals(50.0, summary.getDouble("treatmentUse.find { it.category == 'chemotherapy' }.used.percent"), 1e-9);
        assertCell(summary, "treatmentUse.find { it.category == 'immunotherapy' }.used", null, WITHHELD);
        assertCell(summary, "sites[0].episodes", 12, null);
        assertCell(summary, "sites[0].patients", 11, null);
        // These events say nothing of MYCN, biopsy or response: unknown, not "no".
        assertCell(summary, "mycnStatus.find { it.level == 'unknown' }", 12, null);
        assertCell(summary, "biopsy.find { it.level == 'no' }", 0, null);
        assertCell(summary, "bestResponse.find { it.level == 'not_assessed' }", 12, null);

        JsonPath firstOnly = summary("?site=" + site + "&firstEpisodesOnly=true");
        assertEquals(11, firstOnly.getInt("episodes.count"));
        assertEquals(true, firstOnly.getBoolean("cohort.firstEpisodesOnly"));
    }

    @Test
    void badFiltersAreProblemDocuments() {
        given().get("/v1/cohort/summary?site=s1").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("site"));
        given().get("/v1/cohort/summary?from=2022-13-01").then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    private static void assertCell(JsonPath summary, String path, Integer count, String reasonStart) {
        Map<String, Object> cell = summary.getMap(path);
        assertTrue(cell != null, "no " + path + " in " + summary.prettify());
        assertEquals(count, cell.get("count"), path);
        assertEquals(reasonStart != null, cell.get("suppressed"), path);
        if (reasonStart == null) {
            assertNull(cell.get("suppressionReason"));
        } else {
            assertTrue(((String) cell.get("suppressionReason")).startsWith(reasonStart), path + ": " + cell);
        }
    }

    private static JsonPath summary(String query) {
        return given().get("/v1/cohort/summary" + query).then().statusCode(200).extract().jsonPath();
    }
}
