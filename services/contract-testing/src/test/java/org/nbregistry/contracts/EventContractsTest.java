package org.nbregistry.contracts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventContractsTest {

    private final EventContracts contracts = EventContracts.load();

    private static String episodeSubmitted(String type, String episodeType, String extraField) {
        return """
                {"id":"6f1c2a8e-3b0e-4a52-9c55-0d4f1f0e9a11","type":"%s","schemaVersion":1,
                 "occurredAt":"2026-01-02T10:00:00Z","source":"intake-service","subject":"PSN-0001",
                 "correlationId":"sub-1","data":{"submissionId":"sub-1","site":"S01","recordId":"EP-1",
                 "patientPseudonym":"PSN-0001","episodeType":"%s","episodeDate":"2025-03-04"%s}}
                """.formatted(type, episodeType, extraField);
    }

    @Test
    void aConformingMessagePasses() {
        assertEquals(List.of(), contracts.violations("intake.clinical-records", "PSN-0001",
                episodeSubmitted("EpisodeSubmitted", "relapse", "")));
    }

    @Test
    void anUnknownEpisodeTypeIsReported() {
        List<String> problems = contracts.violations("intake.clinical-records", "PSN-0001",
                episodeSubmitted("EpisodeSubmitted", "remission", ""));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("episodeType"), problems.toString());
    }

    @Test
    void anUndeclaredFieldIsReported() {
        List<String> problems = contracts.violations("intake.clinical-records", "PSN-0001",
                episodeSubmitted("EpisodeSubmitted", "relapse", ",\"patientName\":\"X\""));
        assertTrue(problems.stream().anyMatch(p -> p.contains("patientName")), problems.toString());
    }

    @Test
    void aTypeFromAnotherTopicIsReported() {
        List<String> problems = contracts.violations("registry.episode-events", "PSN-0001",
                episodeSubmitted("EpisodeSubmitted", "relapse", ""));
        assertTrue(problems.stream().anyMatch(p -> p.contains("is not a message of registry.episode-events")), problems.toString());
    }

    @Test
    void aKeyOtherThanTheSubjectIsReported() {
        List<String> problems = contracts.violations("intake.clinical-records", "someone-else",
                episodeSubmitted("EpisodeSubmitted", "relapse", ""));
        assertTrue(problems.stream().anyMatch(p -> p.contains("is not the envelope subject")), problems.toString());
        assertThrows(AssertionError.class, () -> contracts.assertConforms("intake.clinical-records", "someone-else",
                episodeSubmitted("EpisodeSubmitted", "relapse", "")));
    }

    @Test
    void anInvalidDateIsReported() {
        String message = episodeSubmitted("EpisodeSubmitted", "relapse", "").replace("2025-03-04", "2025-13-40");
        List<String> problems = contracts.violations("intake.clinical-records", "PSN-0001", message);
        assertTrue(problems.stream().anyMatch(p -> p.contains("episodeDate")), problems.toString());
    }
}
