package org.nbregistry.episode.service;

import org.junit.jupiter.api.Test;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.TreatmentCategory;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.SubmittedComponent;
import org.nbregistry.episode.messaging.Payloads.TreatmentSubmitted;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nbregistry.episode.service.CrossRecordRulesTest.episode;

/** Every rule of a treatment line with a case that breaks it, and the clean case that passes. */
class TreatmentRulesTest {

    static final LocalDate TODAY = LocalDate.of(2025, 6, 1);
    static final String P = "PSN-0001";

    final Episode first = episode(P, "EP-1", "2024-01-10");
    final Episode second = episode(P, "EP-2", "2024-09-01");

    TreatmentSubmitted line(String recordId, int lineNumber, String start, String... agents) {
        return line(P, recordId, "EP-1", lineNumber, start, agents);
    }

    TreatmentSubmitted line(String pseudonym, String recordId, String episode, int lineNumber, String start, String... agents) {
        SubmittedComponent chemo = new SubmittedComponent(TreatmentCategory.CHEMOTHERAPY, List.of(agents.length == 0 ? new String[]{"topotecan"} : agents),
                null, null, null, null, null, null, null, null);
        return new TreatmentSubmitted("s", "S01", recordId, pseudonym, episode, lineNumber, null, LocalDate.parse(start), null, null, null,
                List.of(chemo));
    }

    TreatmentRules.Context context(Episode episode, String death, TreatmentLine... lines) {
        return new TreatmentRules.Context(episode, List.of(first, second), Optional.ofNullable(death).map(LocalDate::parse), List.of(lines));
    }

    static void assertOnly(String field, String rule, List<Reason> reasons) {
        assertEquals(1, reasons.size(), reasons.toString());
        assertEquals(field, reasons.get(0).field(), reasons.toString());
        assertEquals(rule, reasons.get(0).rule(), reasons.toString());
    }

    @Test
    void aLineWithinItsEpisodePasses() {
        assertEquals(List.of(), TreatmentRules.check(line("TR-1", 1, "2024-01-20"), null, context(first, null), TODAY));
    }

    @Test
    void notInFuture() {
        assertOnly("startDate", "not-in-future", TreatmentRules.check(line("TR-1", 1, "2025-06-02"), null,
                new TreatmentRules.Context(second, List.of(second), Optional.empty(), List.of()), TODAY));
    }

    @Test
    void immutablePseudonym() {
        TreatmentLine existing = treatment("PSN-OTHER", "TR-1", 1);
        assertOnly("patientPseudonym", "immutable", TreatmentRules.check(line("TR-1", 1, "2024-01-20"), existing, context(first, null, existing), TODAY));
    }

    @Test
    void notAfterDeath() {
        assertOnly("startDate", "not-after-death", TreatmentRules.check(line("TR-1", 1, "2024-03-01"), null, context(first, "2024-02-28"), TODAY));
    }

    @Test
    void knownEpisode() {
        assertOnly("episodeRecordId", "known-episode", TreatmentRules.check(line("TR-1", 1, "2024-01-20"), null, context(null, null), TODAY));
    }

    @Test
    void episodeOfTheSamePatient() {
        assertOnly("episodeRecordId", "episode-of-patient", TreatmentRules.check(line("PSN-OTHER", "TR-1", "EP-1", 1, "2024-01-20"), null,
                context(first, null), TODAY));
    }

    @Test
    void notBeforeTheEpisode() {
        assertOnly("startDate", "not-before-episode", TreatmentRules.check(line("TR-1", 1, "2024-01-09"), null, context(first, null), TODAY));
    }

    @Test
    void beforeTheNextEpisode() {
        assertOnly("startDate", "before-next-episode", TreatmentRules.check(line("TR-1", 1, "2024-09-02"), null, context(first, null), TODAY));
    }

    @Test
    void distinctLineNumbersWithinAnEpisode() {
        TreatmentLine other = treatment(P, "TR-0", 1);
        assertOnly("lineNumber", "distinct-line-numbers", TreatmentRules.check(line("TR-1", 1, "2024-01-20"), null, context(first, null, other), TODAY));
        assertEquals(List.of(), TreatmentRules.check(line("TR-0", 1, "2024-01-20"), other, context(first, null, other), TODAY),
                "a correction keeps its own number");
    }

    @Test
    void knownAgent() {
        assertOnly("components[0].agents[1]", "known-agent", TreatmentRules.check(line("TR-1", 1, "2024-01-20", "topotecan", "aspirin"), null,
                context(first, null), TODAY));
    }

    static TreatmentLine treatment(String pseudonym, String recordId, int lineNumber) {
        TreatmentLine t = new TreatmentLine();
        t.id = UUID.randomUUID();
        t.site = "S01";
        t.recordId = recordId;
        t.patientPseudonym = pseudonym;
        t.episodeRecordId = "EP-1";
        t.lineNumber = lineNumber;
        return t;
    }
}
