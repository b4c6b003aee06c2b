package org.nbregistry.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.RegistryRoot;
import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.bench.BenchCohort.Patient;
import org.nbregistry.local.demo.DemoCohort;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's cohorts are reproducible, valid for intake record by record, and consistent patient by patient. */
class BenchCohortTest {

    private static final List<String> SITES = List.of("S01", "S02", "S03", "S04");
    private static final Map<String, String> SCHEMA_OF_TYPE = Map.of("patient", "PatientRecord", "episode", "EpisodeRecord",
            "response-assessment", "ResponseAssessmentRecord", "follow-up", "FollowUpRecord", "treatment", "TreatmentRecord");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final BenchCohort COHORT = new BenchCohort(SITES, 7, "run1");
    private static List<Patient> patients;
    private static Map<String, Schema> schemas;
    private static JsonNode components;

    @BeforeAll
    static void load() throws IOException {
        patients = COHORT.patients("L", 400);
        components = new YAMLMapper().readTree(RegistryRoot.apiSpecs().resolve("openapi").resolve("intake.yaml").toFile())
                .path("components");
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        schemas = new HashMap<>();
        SCHEMA_OF_TYPE.forEach((type, name) -> {
            ObjectNode schema = JSON.createObjectNode();
            schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            schema.put("$ref", "#/components/schemas/" + name);
            schema.set("components", components);
            schemas.put(type, registry.getSchema(schema));
        });
    }

    @Test
    void the_same_seed_and_run_give_the_same_records_and_another_seed_others() {
        assertEquals(patients, new BenchCohort(SITES, 7, "run1").patients("L", 400));
        assertNotEquals(patients, new BenchCohort(SITES, 8, "run1").patients("L", 400));
        assertNotEquals(COHORT.patients("L", 50), COHORT.patients("B", 50), "each part is a cohort of its own");
    }

    @Test
    void every_record_conforms_to_intakes_openapi_schema_and_names_only_known_fields() {
        List<DemoRecord> all = new ArrayList<>(records(patients));
        all.addAll(records(COHORT.patients("P", 30).stream().map(BenchCohort::probe).toList()));
        COHORT.patients("P", 30).stream().map(BenchCohort::probe).map(BenchCohort::death).forEach(all::add);
        all.addAll(records(COHORT.patients("G0", 50).stream().map(BenchCohort::alive).toList()));
        for (DemoRecord record : all) {
            JsonNode body = JSON.valueToTree(record.body());
            List<?> errors = schemas.get(record.recordType()).validate(body);
            assertTrue(errors.isEmpty(), record.recordId() + ": " + errors);
            Set<String> known = new HashSet<>();
            components.path("schemas").path(SCHEMA_OF_TYPE.get(record.recordType())).path("properties").fieldNames().forEachRemaining(known::add);
            body.fieldNames().forEachRemaining(field -> assertTrue(known.contains(field), record.recordId() + " has unknown field " + field));
        }
        Set<String> ids = new HashSet<>();
        all.forEach(r -> assertTrue(ids.add(r.recordId()), "record ids are unique: " + r.recordId()));
        all.forEach(r -> assertTrue(r.recordId().startsWith(COHORT.label()), r.recordId()));
    }

    /** The owning services' cross-record rules: dates in order, nothing before what it refers to, nothing after a death. */
    @Test
    void each_patient_keeps_the_registry_rules_in_sending_order() {
        int deaths = 0;
        for (Patient patient : patients) {
            assertPatientConsistent(patient);
            deaths += (int) patient.records().stream().filter(BenchCohortTest::isDeath).count();
        }
        assertTrue(deaths > patients.size() / 4, "the load cohort has deaths like the demo: " + deaths);
        assertTrue(SITES.containsAll(patients.stream().map(Patient::site).distinct().toList()));
        assertEquals(SITES.size(), patients.stream().map(Patient::site).distinct().count(), "every site has patients");
    }

    @Test
    void probes_have_one_episode_and_die_after_it_and_background_patients_never_die() {
        for (Patient probe : COHORT.patients("P", 40).stream().map(BenchCohort::probe).toList()) {
            assertEquals(List.of("patient", "episode"), probe.records().stream().map(DemoRecord::recordType).toList());
            DemoRecord death = BenchCohort.death(probe);
            assertTrue(isDeath(death));
            List<DemoRecord> withDeath = new ArrayList<>(probe.records());
            withDeath.add(death);
            assertPatientConsistent(new Patient(probe.site(), probe.pseudonym(), withDeath));
        }
        List<Patient> background = COHORT.patients("G3", 300).stream().map(BenchCohort::alive).toList();
        background.forEach(BenchCohortTest::assertPatientConsistent);
        assertTrue(records(background).stream().noneMatch(BenchCohortTest::isDeath));
        assertTrue(records(background).stream().anyMatch(r -> r.recordType().equals("follow-up")));
    }

    @Test
    void batches_hold_whole_patients_of_one_site_within_the_size_in_sending_order() {
        List<Batch> batches = BenchCohort.batches(patients, 50, "bench-test");
        assertEquals(records(patients).size(), batches.stream().mapToInt(Batch::size).sum());
        Map<String, String> batchOfPatient = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Batch batch : batches) {
            assertTrue(batch.size() <= 50 && batch.size() > 0, "size " + batch.size());
            assertTrue(batch.idempotencyKey().matches("^[A-Za-z0-9._:-]{8,128}$") && keys.add(batch.idempotencyKey()));
            for (DemoRecord record : batch.records()) {
                String pseudonym = (String) record.body().get("patientPseudonym");
                String before = batchOfPatient.putIfAbsent(pseudonym, batch.idempotencyKey());
                assertTrue(before == null || before.equals(batch.idempotencyKey()), pseudonym + " is split over batches");
            }
        }
        for (Patient patient : patients) {
            Batch batch = batches.stream().filter(b -> b.idempotencyKey().equals(batchOfPatient.get(patient.pseudonym()))).findFirst().orElseThrow();
            assertEquals(patient.site(), batch.site());
            int start = batch.records().indexOf(patient.records().get(0));
            assertEquals(patient.records(), batch.records().subList(start, start + patient.records().size()), "in order");
        }
    }

    @Test
    void a_burst_is_the_fewest_whole_patients_that_reach_the_records_asked() {
        List<Patient> burst = COHORT.patientsWithRecords("B", 1000);
        int records = records(burst).size();
        assertTrue(records >= 1000, "records " + records);
        assertTrue(records - burst.get(burst.size() - 1).records().size() < 1000, "no patient more than needed");
    }

    @Test
    void the_site_weights_of_six_sites_stay_the_demos_and_other_counts_share_equally() {
        assertEquals(new DemoCohort(List.of("A1", "A2", "A3", "A4", "A5", "A6"), 50, 3).generate().stream().map(s -> s.records().size()).toList(),
                new DemoCohort(List.of("A1", "A2", "A3", "A4", "A5", "A6"), 50, 3, DemoCohort.LABEL).generate().stream().map(s -> s.records().size()).toList());
        List<Patient> three = new BenchCohort(List.of("S01", "S02", "S03"), 1, "r").patients("L", 900);
        for (String site : List.of("S01", "S02", "S03")) {
            long n = three.stream().filter(p -> p.site().equals(site)).count();
            assertTrue(n > 240 && n < 360, site + ": " + n);
        }
    }

    private static void assertPatientConsistent(Patient patient) {
        List<DemoRecord> history = patient.records();
        assertEquals("patient", history.get(0).recordType(), "the patient is sent first: " + patient.pseudonym());
        LocalDate diagnosis = date(history.get(0), "initialDiagnosisDate");
        Map<String, LocalDate> episodes = new HashMap<>();
        LocalDate previousEpisode = diagnosis;
        LocalDate latest = diagnosis;
        boolean dead = false;
        for (DemoRecord record : history) {
            assertEquals(patient.pseudonym(), record.body().get("patientPseudonym"));
            assertFalse(dead, "nothing after a death: " + record.recordId());
            LocalDate date = switch (record.recordType()) {
                case "patient" -> diagnosis;
                case "episode" -> {
                    LocalDate episode = date(record, "episodeDate");
                    assertTrue(episode.isAfter(previousEpisode), record.recordId());
                    previousEpisode = episode;
                    episodes.put(record.recordId(), episode);
                    yield episode;
                }
                case "treatment", "response-assessment" -> {
                    LocalDate episode = episodes.get((String) record.body().get("episodeRecordId"));
                    assertTrue(episode != null, record.recordId() + " follows its episode");
                    LocalDate d = date(record, record.recordType().equals("treatment") ? "startDate" : "assessmentDate");
                    assertTrue(d.isAfter(episode), record.recordId());
                    if (record.body().get("endDate") != null) {
                        assertTrue(date(record, "endDate").isAfter(d), record.recordId());
                    }
                    yield d;
                }
                case "follow-up" -> {
                    LocalDate d = date(record, "date");
                    assertFalse(d.isBefore(latest), "the follow-up is the latest date: " + record.recordId());
                    dead = isDeath(record);
                    yield d;
                }
                default -> throw new AssertionError("unexpected " + record.recordType());
            };
            assertFalse(date.isAfter(DemoCohort.CUT_OFF), record.recordId());
            latest = date.isAfter(latest) ? date : latest;
        }
        assertTrue(episodes.size() >= 1, "every patient has an episode: " + patient.pseudonym());
    }

    private static boolean isDeath(DemoRecord record) {
        return record.recordType().equals("follow-up") && "dead".equals(record.body().get("vitalStatus"));
    }

    private static List<DemoRecord> records(List<Patient> patients) {
        return patients.stream().flatMap(p -> p.records().stream()).toList();
    }

    private static LocalDate date(DemoRecord record, String field) {
        return LocalDate.parse((String) record.body().get(field));
    }
}
