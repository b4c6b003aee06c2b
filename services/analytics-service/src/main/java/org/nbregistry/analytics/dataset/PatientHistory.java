package org.nbregistry.analytics.dataset;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything analytics knows about one patient, kept as one document so that an event's effect and the record
 * that it was applied commit together (single-document atomicity). Plain data; {@link AnalysisRecords} derives
 * the analysis records from it.
 *
 * <p>Each record is held as the write side last published it: a re-recorded record (same id) replaces the earlier
 * state (a correction), a withdrawn one is removed, and the analysis records are derived again from what remains.
 *
 * @param pseudonym          the patient's key: site and pseudonym ({@code S01/PSN-1}), as a pseudonym names a patient within its site
 * @param patient            the patient record (initial diagnosis); null while none is known or after its withdrawal
 * @param secondMalignancies subsequent malignancies; the first one on or after an episode's date ends its EFS
 */
public record PatientHistory(String pseudonym, long version, PatientFacts patient, List<EpisodeFacts> episodes,
                             List<TreatmentFacts> treatments, List<AssessmentFacts> assessments, LocalDate lastFollowUpDate,
                             LocalDate deathDate, List<SecondMalignancyFacts> secondMalignancies, List<String> appliedEventIds) {

    /**
     * The patient record. Withdrawing it removes only these facts (e.g. MYCN at diagnosis): the episode-service keeps
     * the patient's episodes, follow-ups and other records, and publishes the episodes again.
     *
     * @param attributes the event's fields other than the identity (see {@link EpisodeFacts#attributes()})
     */
    public record PatientFacts(String patientId, String site, String recordId, Map<String, String> attributes) {
        public PatientFacts {
            site = SharedText.of(site);
            attributes = SharedText.of(attributes);
        }
    }

    /**
     * One episode as episode-service last published it.
     *
     * @param attributes the event's other fields: facts the write side adds are kept without a code change here, so a
     *                   new factor only needs its mapping in {@link Factors}. A nested object's fields are named by
     *                   joining the names in camel case ({@code biopsy.performed} → {@code biopsyPerformed}); a list of
     *                   codes is one text, the codes separated by commas; other values are their text (JSON for a list
     *                   of objects)
     */
    public record EpisodeFacts(String episodeId, String site, String recordId, String episodeType, LocalDate episodeDate,
                               int episodeOrder, Map<String, String> attributes) {
        public EpisodeFacts {
            site = SharedText.of(site);
            episodeType = SharedText.of(episodeType);
            attributes = SharedText.of(attributes);
        }
    }

    /**
     * One treatment line; it belongs to the episode of its site with record id {@code episodeRecordId}.
     *
     * @param category   the line's first component category (what 1.0 producers send)
     * @param attributes as {@link EpisodeFacts#attributes()}: {@code categories} and {@code agentCodes} among them
     */
    public record TreatmentFacts(String treatmentId, String site, String recordId, String episodeRecordId, String category,
                                 LocalDate startDate, Map<String, String> attributes) {
        public TreatmentFacts {
            site = SharedText.of(site);
            category = SharedText.of(category);
            attributes = SharedText.of(attributes);
        }

        boolean belongsTo(EpisodeFacts episode) {
            return episodeRecordId.equals(episode.recordId()) && site.equals(episode.site());
        }

        /** Whether any component of the line is of the category (the first one for a line without {@code categories}). */
        public boolean includes(String treatmentCategory) {
            return category.equals(treatmentCategory) || codes(attributes.get("categories")).contains(treatmentCategory);
        }

        /** The line's agent codes, or null when the event did not say (a 1.0 producer). */
        public List<String> agentCodes() {
            String codes = attributes.get("agentCodes");
            return codes == null ? null : codes(codes);
        }
    }

    /** One response assessment with its derived INRC overall response; it belongs to the episode with {@code episodeId}. */
    public record AssessmentFacts(String assessmentId, String episodeId, LocalDate assessmentDate, String overallResponse) {
        public AssessmentFacts {
            overallResponse = SharedText.of(overallResponse);
        }
    }

    /** One subsequent malignancy. */
    public record SecondMalignancyFacts(String secondMalignancyId, LocalDate diagnosisDate) {
    }

    public PatientHistory {
        episodes = List.copyOf(episodes);
        treatments = List.copyOf(treatments);
        assessments = List.copyOf(assessments);
        secondMalignancies = List.copyOf(secondMalignancies);
        appliedEventIds = List.copyOf(appliedEventIds);
    }

    public static PatientHistory empty(String pseudonym) {
        return new PatientHistory(pseudonym, 0, null, List.of(), List.of(), List.of(), null, null, List.of(), List.of());
    }

    /** Codes of a list attribute (comma-separated); none for an absent or empty one. */
    static List<String> codes(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }

    public boolean hasApplied(String eventId) {
        return appliedEventIds.contains(eventId);
    }

    public PatientHistory withPatient(String eventId, PatientFacts facts) {
        return new PatientHistory(pseudonym, version, facts, episodes, treatments, assessments, lastFollowUpDate, deathDate,
                secondMalignancies, applied(eventId));
    }

    public PatientHistory withoutPatient(String eventId) {
        return withPatient(eventId, null);
    }

    /** Adds or replaces (same episode id) an episode; episodes stay in date order. */
    public PatientHistory withEpisode(String eventId, EpisodeFacts episode) {
        List<EpisodeFacts> updated = replacing(episodes, e -> e.episodeId().equals(episode.episodeId()), episode);
        updated.sort(Comparator.comparing(EpisodeFacts::episodeDate).thenComparing(EpisodeFacts::episodeOrder)
                .thenComparing(EpisodeFacts::episodeId));
        return new PatientHistory(pseudonym, version, patient, updated, treatments, assessments, lastFollowUpDate, deathDate,
                secondMalignancies, applied(eventId));
    }

    /**
     * Retracts an episode and its assessments. The episode before it then ends its EFS at the next remaining
     * episode, if any; the write side publishes the renumbered episodes after this.
     */
    public PatientHistory withoutEpisode(String eventId, String episodeId) {
        return new PatientHistory(pseudonym, version, patient, without(episodes, e -> e.episodeId().equals(episodeId)), treatments,
                without(assessments, a -> a.episodeId().equals(episodeId)), lastFollowUpDate, deathDate, secondMalignancies,
                applied(eventId));
    }

    /** Follow-up events (recorded or withdrawn) carry the summary of the follow-ups that remain, so they replace what was known. */
    public PatientHistory withFollowUp(String eventId, LocalDate lastFollowUp, LocalDate death) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments, assessments, lastFollowUp, death,
                secondMalignancies, applied(eventId));
    }

    /** Adds or replaces (same id) a subsequent malignancy. */
    public PatientHistory withSecondMalignancy(String eventId, SecondMalignancyFacts malignancy) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments, assessments, lastFollowUpDate, deathDate,
                replacing(secondMalignancies, s -> s.secondMalignancyId().equals(malignancy.secondMalignancyId()), malignancy),
                applied(eventId));
    }

    public PatientHistory withoutSecondMalignancy(String eventId, String secondMalignancyId) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments, assessments, lastFollowUpDate, deathDate,
                without(secondMalignancies, s -> s.secondMalignancyId().equals(secondMalignancyId)), applied(eventId));
    }

    /** Adds or replaces (same treatment id) a treatment. */
    public PatientHistory withTreatment(String eventId, TreatmentFacts treatment) {
        return new PatientHistory(pseudonym, version, patient, episodes,
                replacing(treatments, t -> t.treatmentId().equals(treatment.treatmentId()), treatment), assessments,
                lastFollowUpDate, deathDate, secondMalignancies, applied(eventId));
    }

    public PatientHistory withoutTreatment(String eventId, String treatmentId) {
        return new PatientHistory(pseudonym, version, patient, episodes, without(treatments, t -> t.treatmentId().equals(treatmentId)),
                assessments, lastFollowUpDate, deathDate, secondMalignancies, applied(eventId));
    }

    /** Adds or replaces (same assessment id) a response assessment. */
    public PatientHistory withAssessment(String eventId, AssessmentFacts assessment) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments,
                replacing(assessments, a -> a.assessmentId().equals(assessment.assessmentId()), assessment), lastFollowUpDate,
                deathDate, secondMalignancies, applied(eventId));
    }

    public PatientHistory withoutAssessment(String eventId, String assessmentId) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments,
                without(assessments, a -> a.assessmentId().equals(assessmentId)), lastFollowUpDate, deathDate, secondMalignancies,
                applied(eventId));
    }

    /** Records that an event changed nothing (e.g. the withdrawal of a record analytics does not hold). */
    public PatientHistory withApplied(String eventId) {
        return new PatientHistory(pseudonym, version, patient, episodes, treatments, assessments, lastFollowUpDate, deathDate,
                secondMalignancies, applied(eventId));
    }

    /**
     * The same facts without the applied event ids: what deriving the analysis records needs (at any cut-off), for a
     * holder that keeps many histories in memory and no projection state.
     */
    public PatientHistory factsOnly() {
        return appliedEventIds.isEmpty() ? this : new PatientHistory(pseudonym, version, patient, episodes, treatments, assessments,
                lastFollowUpDate, deathDate, secondMalignancies, List.of());
    }

    public PatientHistory nextVersion() {
        return new PatientHistory(pseudonym, version + 1, patient, episodes, treatments, assessments, lastFollowUpDate, deathDate,
                secondMalignancies, appliedEventIds);
    }

    /** The treatments recorded for one episode. */
    public List<TreatmentFacts> treatmentsOf(EpisodeFacts episode) {
        return treatments.stream().filter(t -> t.belongsTo(episode)).toList();
    }

    /** The response assessments of one episode. */
    public List<AssessmentFacts> assessmentsOf(EpisodeFacts episode) {
        return assessments.stream().filter(a -> a.episodeId().equals(episode.episodeId())).toList();
    }

    private static <T> List<T> replacing(List<T> items, Predicate<T> same, T replacement) {
        List<T> updated = new ArrayList<>(without(items, same));
        updated.add(replacement);
        return updated;
    }

    private static <T> List<T> without(List<T> items, Predicate<T> same) {
        return items.stream().filter(same.negate()).toList();
    }

    private List<String> applied(String eventId) {
        List<String> ids = new ArrayList<>(appliedEventIds);
        ids.add(eventId);
        return ids;
    }
}
