package org.nbregistry.analytics.projection;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything analytics knows about one patient, kept as one document so that an event's effect and the record
 * that it was applied commit together (single-document atomicity). Plain data; the derivations live here too.
 */
public record PatientHistory(String pseudonym, long version, List<EpisodeFacts> episodes, List<TreatmentFacts> treatments,
                             LocalDate lastFollowUpDate, LocalDate deathDate, List<String> appliedEventIds) {

    public record EpisodeFacts(String episodeId, String site, String recordId, String episodeType, LocalDate episodeDate,
                               int episodeOrder) {
    }

    public record TreatmentFacts(String treatmentId, String site, String recordId, String episodeRecordId, String category,
                                 LocalDate startDate) {
    }

    public static PatientHistory empty(String pseudonym) {
        return new PatientHistory(pseudonym, 0, List.of(), List.of(), null, null, List.of());
    }

    public boolean hasApplied(String eventId) {
        return appliedEventIds.contains(eventId);
    }

    public PatientHistory withEpisode(String eventId, EpisodeFacts episode) {
        List<EpisodeFacts> updated = new ArrayList<>(episodes.stream().filter(e -> !e.episodeId().equals(episode.episodeId())).toList());
        updated.add(episode);
        updated.sort(Comparator.comparing(EpisodeFacts::episodeDate).thenComparing(EpisodeFacts::episodeId));
        return new PatientHistory(pseudonym, version, List.copyOf(updated), treatments, lastFollowUpDate, deathDate, applied(eventId));
    }

    public PatientHistory withFollowUp(String eventId, LocalDate lastFollowUp, LocalDate death) {
        return new PatientHistory(pseudonym, version, episodes, treatments, lastFollowUp, death, applied(eventId));
    }

    public PatientHistory withTreatment(String eventId, TreatmentFacts treatment) {
        List<TreatmentFacts> updated = new ArrayList<>(treatments.stream().filter(t -> !t.treatmentId().equals(treatment.treatmentId())).toList());
        updated.add(treatment);
        return new PatientHistory(pseudonym, version, episodes, List.copyOf(updated), lastFollowUpDate, deathDate, applied(eventId));
    }

    public PatientHistory nextVersion() {
        return new PatientHistory(pseudonym, version + 1, episodes, treatments, lastFollowUpDate, deathDate, appliedEventIds);
    }

    /**
     * One analysis record per episode. OS runs from the episode date to death (event) or to the last follow-up
     * (censored); an episode without any later contact is censored on its own date.
     */
    public List<AnalysisRecord> analysisRecords() {
        return episodes.stream().map(e -> {
            boolean died = deathDate != null;
            LocalDate end = died ? deathDate : lastFollowUpDate == null || lastFollowUpDate.isBefore(e.episodeDate()) ? e.episodeDate() : lastFollowUpDate;
            return new AnalysisRecord(e.episodeId(), pseudonym, e.site(), e.episodeDate(), e.episodeType(), e.episodeOrder(),
                    (int) ChronoUnit.DAYS.between(e.episodeDate(), end), died);
        }).toList();
    }

    private List<String> applied(String eventId) {
        List<String> ids = new ArrayList<>(appliedEventIds);
        ids.add(eventId);
        return List.copyOf(ids);
    }
}
