package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.contracts.RAnswers;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * R's answers for the fixture cohort (src/test/resources/fixture, made by regenerate.sh) and the comparisons of served
 * answers (as JSON) with them, shared by the unit tests of the computation and the tests on real servers.
 */
public final class RReference {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    public static final LocalDate AS_OF = LocalDate.parse("2021-06-30");
    public static final int LANDMARK = 61;

    private RReference() {
    }

    /** The fixture's facts as the projection holds them once all its events are applied. */
    public static List<PatientHistory> fixtureHistories() {
        Map<String, List<String[]>> byPatient = new LinkedHashMap<>();
        String[] lines = RAnswers.text("fixture/cohort.csv").split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                String[] row = lines[i].split(",", -1);
                byPatient.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
            }
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
            out.add(h.withFollowUp("f", LocalDate.parse(any[5]), any[6].isEmpty() ? null : LocalDate.parse(any[6])).nextVersion());
        });
        return out;
    }

    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
