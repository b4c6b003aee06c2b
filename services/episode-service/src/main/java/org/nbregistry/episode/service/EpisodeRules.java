package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.messaging.Payloads.EpisodeSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Rules an episode must meet against the patient's other records. */
final class EpisodeRules {

    private EpisodeRules() {
    }

    /**
     * @param patientRecordRequired whether an episode needs the patient record first (registry.episode.patient-record-required)
     */
    static List<Reason> check(EpisodeSubmitted submitted, Episode existing, PatientFile file, LocalDate today,
                              boolean patientRecordRequired) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate date = submitted.episodeDate();
        UUID self = existing == null ? null : existing.id;
        if (date.isAfter(today)) {
            reasons.add(new Reason("episodeDate", "not-in-future", "episode date " + date + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable",
                    "record " + submitted.recordId() + " belongs to another patient; withdraw it and submit a new record instead"));
        }
        if (patientRecordRequired && file.patient() == null) {
            reasons.add(new Reason("patientPseudonym", "known-patient",
                    "patient " + submitted.patientPseudonym() + " has no patient record in the registry; submit the patient first"));
        }
        file.initialDiagnosisDate().filter(diagnosis -> !date.isAfter(diagnosis)).ifPresent(diagnosis -> reasons.add(
                new Reason("episodeDate", "after-initial-diagnosis",
                        "episode date " + date + " is not after the initial diagnosis on " + diagnosis)));
        file.deathDate().filter(death -> date.isAfter(death)).ifPresent(death -> reasons.add(
                new Reason("episodeDate", "not-after-death", "episode date " + date + " is after the patient's death on " + death)));
        file.episodes().stream()
                .filter(other -> !other.id.equals(self))
                .filter(other -> other.episodeDate.equals(date))
                .findFirst()
                .ifPresent(other -> reasons.add(new Reason("episodeDate", "distinct-episode-dates",
                        "the patient already has episode " + other.recordId + " on " + other.episodeDate)));
        // A relapse or progression opens the next episode: the previous episode's assessments all come before it.
        file.episodeBefore(date, self).ifPresent(previous -> file.assessmentsOf(previous.id).stream()
                .filter(a -> a.assessmentDate.isAfter(date)).findFirst()
                .ifPresent(a -> reasons.add(new Reason("episodeDate", "after-previous-episode",
                        "the previous episode " + previous.recordId + " was assessed on " + a.assessmentDate
                                + " (assessment " + a.recordId + "), after this episode's date " + date))));
        if (existing != null) {
            for (ResponseAssessment own : file.assessmentsOf(existing.id)) {
                if (!own.assessmentDate.isAfter(date)) {
                    reasons.add(new Reason("episodeDate", "assessment-after-episode",
                            "assessment " + own.recordId + " of this episode on " + own.assessmentDate + " would not be after the episode date " + date));
                }
            }
            for (TreatmentLine line : file.treatmentLinesOf(existing)) {
                if (line.startDate.isBefore(date)) {
                    reasons.add(new Reason("episodeDate", "treatment-after-episode",
                            "treatment line " + line.recordId + " of this episode starts " + line.startDate + ", before the episode date " + date));
                }
            }
            file.episodeAfter(date, self).ifPresent(next -> file.assessmentsOf(existing.id).stream()
                    .filter(a -> a.assessmentDate.isAfter(next.episodeDate)).findFirst()
                    .ifPresent(a -> reasons.add(new Reason("episodeDate", "before-next-episode",
                            "assessment " + a.recordId + " of this episode on " + a.assessmentDate + " would fall after the next episode "
                                    + next.recordId + " on " + next.episodeDate))));
        }
        return reasons;
    }
}
