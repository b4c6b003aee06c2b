package org.nbregistry.analytics.dataset;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything analytics knows about one patient, kept as one document so that an event's effect and the record
 * that it was applied commit together (single-document atomicity). Plain data; {@link AnalysisRecords} derives
 * the analysis records from it.
 *
 * @param secondMalignancyDate first subsequent malignancy, an EFS event; null while none is known (the projection does
 *                             not map the write side's second-malignancy event yet)
 */
public record PatientHistory(String pseudonym, long version, List<EpisodeFacts> episodes, List<TreatmentFacts> treatments,
                             LocalDate lastFollowUpDate, LocalDate deathDate, LocalDate secondMalignancyDate,
                             List<String> appliedEventIds) {

    /**
     * One episode as episode-service last published it.
     *
     * @param attributes the event's other fields (text, or JSON for arrays and objects): facts the write side adds
     *                   are kept without a code change here, so a new factor only needs its mapping in {@link Factors}
     */
    public record EpisodeFacts(String episodeId, String site, String recordId, String episodeType, LocalDate episodeDate,
                               int episodeOrder, Map<String, String> attributes) {
        public EpisodeFacts {
            attributes = Map.copyOf(attributes);
        }
    }

    /** One treatment; it belongs to the episode of its site with record id {@code episodeRecordId}. */
    public record TreatmentFacts(String treatmentId, String site, String recordId, String episodeRecordId, String category,
                                 LocalDate startDate, Map<String, String> attributes) {
        public TreatmentFacts {
            attributes = Map.copyOf(attributes);
        }

        boolean belongsTo(EpisodeFacts episode) {
            return episodeRecordId.equals(episode.recordId()) && site.equals(episode.site());
        }
    }

    public static PatientHistory empty(String pseudonym) {
        return new PatientHistory(pseudonym, 0, List.of(), List.of(), null, null, null, List.of());
    }

    public boolean hasApplied(String eventId) {
        return appliedEventIds.contains(eventId);
    }

    /** Adds or replaces (same episode id) an episode; episodes stay in date order. */
    public PatientHistory withEpisode(String eventId, EpisodeFacts episode) {
        List<EpisodeFacts> updated = replacing(episodes, e -> e.episodeId().equals(episode.episodeId()), episode);
        updated.sort(Comparator.comparing(EpisodeFacts::episodeDate).thenComparing(EpisodeFacts::episodeOrder)
                .thenComparing(EpisodeFacts::episodeId));
        return new PatientHistory(pseudonym, version, List.copyOf(updated), treatments, lastFollowUpDate, deathDate,
                secondMalignancyDate, applied(eventId));
    }

    /** Follow-up events carry the summary of all follow-ups so far, so they replace what was known. */
    public PatientHistory withFollowUp(String eventId, LocalDate lastFollowUp, LocalDate death) {
        return new PatientHistory(pseudonym, version, episodes, treatments, lastFollowUp, death, secondMalignancyDate, applied(eventId));
    }

    /** A subsequent malignancy; the earliest one is kept, as only the first can end an episode's EFS. */
    public PatientHistory withSecondMalignancy(String eventId, LocalDate diagnosisDate) {
        LocalDate first = secondMalignancyDate == null || diagnosisDate.isBefore(secondMalignancyDate) ? diagnosisDate : secondMalignancyDate;
        return new PatientHistory(pseudonym, version, episodes, treatments, lastFollowUpDate, deathDate, first, applied(eventId));
    }

    /** Adds or replaces (same treatment id) a treatment. */
    public PatientHistory withTreatment(String eventId, TreatmentFacts treatment) {
        List<TreatmentFacts> updated = replacing(treatments, t -> t.treatmentId().equals(treatment.treatmentId()), treatment);
        return new PatientHistory(pseudonym, version, episodes, List.copyOf(updated), lastFollowUpDate, deathDate,
                secondMalignancyDate, applied(eventId));
    }

    public PatientHistory nextVersion() {
        return new PatientHistory(pseudonym, version + 1, episodes, treatments, lastFollowUpDate, deathDate, secondMalignancyDate,
                appliedEventIds);
    }

    /** The treatments recorded for one episode. */
    public List<TreatmentFacts> treatmentsOf(EpisodeFacts episode) {
        return treatments.stream().filter(t -> t.belongsTo(episode)).toList();
    }

    private static <T> List<T> replacing(List<T> items, Predicate<T> same, T replacement) {
        List<T> updated = new ArrayList<>(items.stream().filter(same.negate()).toList());
        updated.add(replacement);
        return updated;
    }

    private List<String> applied(String eventId) {
        List<String> ids = new ArrayList<>(appliedEventIds);
        ids.add(eventId);
        return List.copyOf(ids);
    }
}
