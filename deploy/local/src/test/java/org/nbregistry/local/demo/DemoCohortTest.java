package org.nbregistry.local.demo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.demo.DemoCohort.DemoSite;
import org.nbregistry.local.platform.Catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo cohort is reproducible, consistent record by record, and shaped like the study it imitates. */
class DemoCohortTest {

    private static final List<String> SITES = List.of("S1", "S2", "S3", "S4", "S5", "S6");
    private static List<DemoSite> cohort;
    private static List<DemoRecord> all;

    @BeforeAll
    static void generate() {
        cohort = new DemoCohort(SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED).generate();
        all = cohort.stream().flatMap(s -> s.records().stream()).toList();
    }

    @Test
    void the_same_seed_gives_the_same_cohort_and_another_seed_another() {
        assertEquals(cohort, new DemoCohort(SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED).generate());
        assertNotEquals(cohort, new DemoCohort(SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED + 1).generate());
    }

    @Test
    void every_site_has_patients_and_every_record_is_labelled_synthetic() {
        assertEquals(SITES, cohort.stream().map(DemoSite::site).toList());
        cohort.forEach(site -> assertTrue(site.records().stream().anyMatch(r -> r.recordType().equals("patient")), site.site()));
        assertEquals(DemoCohort.DEFAULT_PATIENTS, count(r -> r.recordType().equals("patient")));
        for (DemoRecord record : all) {
            assertTrue(record.recordId().startsWith(DemoCohort.LABEL + "-"), record.recordId());
            assertTrue(((String) record.body().get("patientPseudonym")).startsWith(DemoCohort.LABEL + "-"));
            assertFalse(record.body().containsKey("site"), "the site comes from the token");
            if (record.body().containsKey("regimenLabel")) {
                assertTrue(((String) record.body().get("regimenLabel")).startsWith(DemoCohort.LABEL + " "));
            }
        }
        assertEquals(all.size(), new HashSet<>(all.stream().map(DemoRecord::recordId).toList()).size(), "record ids are unique");
    }

    /** The cross-record rules of the owning services: a record that breaks one would be REJECTED. */
    @Test
    void each_patient_history_keeps_the_registry_date_rules_in_sending_order() {
        for (List<DemoRecord> history : byPatient().values()) {
            DemoRecord patient = history.get(0);
            assertEquals("patient", patient.recordType(), "the patient is sent first");
            LocalDate diagnosis = date(patient, "initialDiagnosisDate");
            LocalDate previousEpisode = null;
            Map<String, LocalDate> episodes = new HashMap<>();
            DemoRecord last = history.get(history.size() - 1);
            assertEquals("follow-up", last.recordType(), "the history ends with death or last contact");
            LocalDate end = date(last, "date");
            assertFalse(end.isAfter(DemoCohort.CUT_OFF));
            for (DemoRecord record : history.subList(1, history.size() - 1)) {
                switch (record.recordType()) {
                    case "episode" -> {
                        LocalDate episode = date(record, "episodeDate");
                        assertTrue(episode.isAfter(diagnosis), record.recordId());
                        assertTrue(previousEpisode == null || episode.isAfter(previousEpisode), record.recordId());
                        assertFalse(episode.isAfter(end), record.recordId());
                        assertTrue(record.recordId().endsWith("-EP" + (episodes.size() + 1)), "episodes are sent in order: " + record.recordId());
                        episodes.put(record.recordId(), episode);
                        previousEpisode = episode;
                    }
                    case "treatment", "response-assessment" -> {
                        LocalDate episode = episodes.get((String) record.body().get("episodeRecordId"));
                        assertTrue(episode != null, record.recordId() + " follows its episode");
                        LocalDate date = date(record, record.recordType().equals("treatment") ? "startDate" : "assessmentDate");
                        assertTrue(date.isAfter(episode) && !date.isAfter(end), record.recordId());
                        if (record.body().get("endDate") != null) {
                            assertTrue(date(record, "endDate").isAfter(date) && !date(record, "endDate").isAfter(end), record.recordId());
                        }
                    }
                    default -> throw new AssertionError("unexpected " + record.recordType());
                }
            }
            assertTrue(episodes.size() >= 1 && episodes.size() <= DemoCohort.MAX_EPISODES);
        }
    }

    @Test
    void treatment_and_work_up_rates_are_near_the_study() {
        List<DemoRecord> episodes = ofType("episode");
        int n = episodes.size();
        assertTrue(n > 150 && n < 260, "episodes: " + n);
        List<DemoRecord> firstEpisodes = episodes.stream().filter(r -> r.recordId().endsWith("-EP1")).toList();
        assertNear(0.33, share(firstEpisodes, r -> r.body().get("episodeType").equals("refractory")), 0.10, "refractory first episodes");
        assertTrue(episodes.stream().filter(r -> r.body().get("episodeType").equals("refractory")).allMatch(firstEpisodes::contains),
                "refractory is only ever a first episode");
        assertNear(0.37, share(episodes, r -> Boolean.TRUE.equals(((Map<?, ?>) r.body().get("biopsy")).get("performed"))), 0.10, "biopsy");
        assertNear(0.30, share(episodes, r -> Boolean.TRUE.equals(((Map<?, ?>) r.body().get("molecularProfiling")).get("performed"))), 0.10, "profiling");
        assertNear(0.34, share(episodes, r -> Boolean.TRUE.equals(((Map<?, ?>) r.body().get("clinicalTrial")).get("enrolled"))), 0.10, "trial");
        List<DemoRecord> lines = ofType("treatment");
        assertNear(0.97, share(lines, uses("chemotherapy")), 0.06, "chemotherapy");
        assertNear(0.48, share(lines, uses("immunotherapy")), 0.10, "immunotherapy");
        assertNear(0.16, share(lines, uses("maintenance")), 0.08, "maintenance");
        assertNear(0.45, share(lines, uses("local_surgery").or(uses("local_radiotherapy"))), 0.12, "local treatment");
    }

    /** EFS and OS by episode at three years, by the registry's definitions, near the study's 20.9% and 32%. */
    @Test
    void outcomes_are_near_the_study_levels_and_better_after_response() {
        List<double[]> efs = new ArrayList<>();
        List<double[]> os = new ArrayList<>();
        List<double[]> efsResponders = new ArrayList<>();
        List<double[]> efsOthers = new ArrayList<>();
        for (List<DemoRecord> history : byPatient().values()) {
            DemoRecord last = history.get(history.size() - 1);
            LocalDate end = date(last, "date");
            boolean dead = last.body().get("vitalStatus").equals("dead");
            List<DemoRecord> episodes = history.stream().filter(r -> r.recordType().equals("episode")).toList();
            for (int i = 0; i < episodes.size(); i++) {
                LocalDate t0 = date(episodes.get(i), "episodeDate");
                boolean next = i + 1 < episodes.size();
                LocalDate efsEnd = next ? date(episodes.get(i + 1), "episodeDate") : end;
                double[] efsRow = {ChronoUnit.DAYS.between(t0, efsEnd), next || dead ? 1 : 0};
                efs.add(efsRow);
                os.add(new double[]{ChronoUnit.DAYS.between(t0, end), dead ? 1 : 0});
                String episodeId = episodes.get(i).recordId();
                boolean controlled = history.stream().anyMatch(r -> r.recordType().equals("response-assessment")
                        && r.body().get("episodeRecordId").equals(episodeId) && !r.body().get("metastaticResponse").equals("PD"));
                (controlled ? efsResponders : efsOthers).add(efsRow);
            }
        }
        assertNear(0.21, survivalAt(efs, 1096), 0.10, "EFS at 3 years");
        assertNear(0.32, survivalAt(os, 1096), 0.12, "OS at 3 years");
        assertTrue(survivalAt(efsResponders, 365) > survivalAt(efsOthers, 365) + 0.15, "response or stabilisation is better");
    }

    /** R's expected values (demo-fixture/*.expected.json) were computed from exactly this cohort. */
    @Test
    void the_committed_r_fixture_is_this_cohort() throws IOException {
        String csv = DemoCohortCsv.of(new DemoCohort(Catalog.DEMO_SITES, DemoCohort.DEFAULT_PATIENTS, DemoCohort.DEFAULT_SEED).generate());
        Path written = Path.of("target", "demo-fixture", "cohort.csv");
        Files.createDirectories(written.getParent());
        Files.writeString(written, csv);
        try (InputStream committed = getClass().getResourceAsStream("/demo-fixture/cohort.csv")) {
            assertTrue(committed != null, "demo-fixture/cohort.csv is committed");
            assertEquals(new String(committed.readAllBytes(), StandardCharsets.UTF_8), csv,
                    "the demo cohort changed: regenerate R's answers with demo-fixture/regenerate.sh (uses " + written + ")");
        }
    }

    private static double survivalAt(List<double[]> rows, double day) {
        List<double[]> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble((double[] r) -> r[0]).thenComparingDouble(r -> -r[1]));
        double s = 1;
        int atRisk = sorted.size();
        int i = 0;
        while (i < sorted.size() && sorted.get(i)[0] <= day) {
            double t = sorted.get(i)[0];
            int events = 0;
            int leaving = 0;
            while (i < sorted.size() && sorted.get(i)[0] == t) {
                events += (int) sorted.get(i)[1];
                leaving++;
                i++;
            }
            s *= 1 - (double) events / atRisk;
            atRisk -= leaving;
        }
        return s;
    }

    private static Map<String, List<DemoRecord>> byPatient() {
        Map<String, List<DemoRecord>> histories = new HashMap<>();
        all.forEach(r -> histories.computeIfAbsent((String) r.body().get("patientPseudonym"), p -> new ArrayList<>()).add(r));
        return histories;
    }

    private static Predicate<DemoRecord> uses(String category) {
        return r -> ((List<?>) r.body().get("components")).stream().anyMatch(c -> ((Map<?, ?>) c).get("category").equals(category));
    }

    private static List<DemoRecord> ofType(String type) {
        return all.stream().filter(r -> r.recordType().equals(type)).toList();
    }

    private static long count(Predicate<DemoRecord> which) {
        return all.stream().filter(which).count();
    }

    private static double share(List<DemoRecord> records, Predicate<DemoRecord> which) {
        return (double) records.stream().filter(which).count() / records.size();
    }

    private static LocalDate date(DemoRecord record, String field) {
        return LocalDate.parse((String) record.body().get(field));
    }

    private static void assertNear(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": " + actual + " is not within " + tolerance + " of " + expected);
    }
}
