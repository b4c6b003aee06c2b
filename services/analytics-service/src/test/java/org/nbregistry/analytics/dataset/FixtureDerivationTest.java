package org.nbregistry.analytics.dataset;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.RReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
        for (PatientHistory history : RReference.fixtureHistories()) {
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
