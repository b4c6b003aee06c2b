package org.nbregistry.analytics.dataset;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java derivation gives, episode by episode, the EFS and OS times and covariates that the independent R
 * derivation (fixture/derive_fixture.R) wrote to efs.csv and os.csv for the fixture cohort.
 */
class FixtureDerivationTest {

    @Test
    void everyEpisodeOfTheFixtureHasRsTimesStatusesAndLevels() {
        Map<String, AnalysisRecord> derived = new HashMap<>();
        for (PatientHistory history : histories()) {
            for (AnalysisRecord r : AnalysisRecords.derive(history)) {
                derived.put(r.patientPseudonym() + "/" + r.episodeDate(), r);
            }
        }
        for (String endpoint : List.of("efs", "os")) {
            List<String[]> rows = csv("fixture/" + endpoint + ".csv");
            String[] header = rows.get(0);
            assertEquals(rows.size() - 1, derived.size());
            for (String[] row : rows.subList(1, rows.size())) {
                AnalysisRecord r = derived.get(row[0]);
                Endpoint e = Endpoint.valueOf(endpoint.toUpperCase());
                assertEquals(Integer.parseInt(row[header.length - 2]), r.days(e), row[0] + " " + endpoint + " days");
                assertEquals(row[header.length - 1].equals("1"), r.event(e), row[0] + " " + endpoint + " status");
                for (int c = 1; c < header.length - 2; c++) {
                    assertEquals(row[c], r.level(header[c]), row[0] + " " + header[c]);
                }
            }
        }
    }

    /** The fixture's facts as the projection holds them after all events are applied. */
    static List<PatientHistory> histories() {
        Map<String, List<String[]>> byPatient = new LinkedHashMap<>();
        for (String[] row : csv("fixture/cohort.csv").subList(1, csv("fixture/cohort.csv").size())) {
            byPatient.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
        }
        List<PatientHistory> out = new ArrayList<>();
        byPatient.forEach((patient, rows) -> {
            rows.sort((a, b) -> a[2].compareTo(b[2]));
            PatientHistory h = PatientHistory.empty(patient);
            for (int i = 0; i < rows.size(); i++) {
                String[] e = rows.get(i);
                String recordId = "EP-" + e[2];
                h = h.withEpisode("e" + i, new EpisodeFacts(patient + recordId, e[1], recordId, e[3], LocalDate.parse(e[2]), i + 1, Map.of()));
                for (String category : e[4].isEmpty() ? new String[0] : e[4].split(";")) {
                    h = h.withTreatment("t" + i + category, new TreatmentFacts(patient + recordId + category, e[1], "TR-" + category,
                            recordId, category, LocalDate.parse(e[2]), Map.of()));
                }
            }
            String[] any = rows.get(0);
            out.add(h.withFollowUp("f", LocalDate.parse(any[5]), any[6].isEmpty() ? null : LocalDate.parse(any[6])));
        });
        return out;
    }

    static List<String[]> csv(String name) {
        try (InputStream in = FixtureDerivationTest.class.getClassLoader().getResourceAsStream(name)) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
