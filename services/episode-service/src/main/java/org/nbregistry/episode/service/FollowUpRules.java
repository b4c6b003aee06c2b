package org.nbregistry.episode.service;

import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.VitalStatus;
import org.nbregistry.episode.messaging.Payloads.FollowUpSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Rules a follow-up must meet against the patient's other records. */
final class FollowUpRules {

    private FollowUpRules() {
    }

    static List<Reason> check(FollowUpSubmitted submitted, FollowUp existing, PatientFile file, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate date = submitted.date();
        boolean death = submitted.vitalStatus() == VitalStatus.DEAD;
        if (date.isAfter(today)) {
            reasons.add(new Reason("date", "not-in-future", "follow-up date " + date + " is in the future"));
        }
        if (!file.isKnown()) {
            reasons.add(new Reason("patientPseudonym", "known-patient",
                    "patient " + submitted.patientPseudonym() + " is not in the registry; submit the patient or an episode first"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable", "record " + submitted.recordId() + " belongs to another patient"));
        }
        List<FollowUp> others = file.followUps().stream().filter(f -> existing == null || !f.id.equals(existing.id)).toList();
        PatientFile.deathDate(others).ifPresent(deathDate -> {
            if (death) {
                reasons.add(new Reason("vitalStatus", "single-death", "the patient's death is already recorded on " + deathDate));
            } else if (date.isAfter(deathDate)) {
                reasons.add(new Reason("date", "not-after-death", "follow-up " + date + " is after the patient's death on " + deathDate));
            }
        });
        file.initialDiagnosisDate().filter(date::isBefore).ifPresent(diagnosis -> reasons.add(new Reason("date",
                "after-initial-diagnosis", "follow-up " + date + " is before the initial diagnosis on " + diagnosis)));
        if (death) {
            // Nothing of the patient may be dated after the death.
            others.stream().filter(f -> f.date.isAfter(date)).findFirst().ifPresent(later -> reasons.add(
                    new Reason("date", "not-before-last-contact", "the patient was seen alive on " + later.date + ", after this death date")));
            file.episodes().stream().filter(e -> date.isBefore(e.episodeDate)).findFirst().ifPresent(e -> reasons.add(
                    new Reason("date", "not-before-episode", "death on " + date + " is before episode " + e.recordId + " on " + e.episodeDate)));
            file.assessments().stream().filter(a -> date.isBefore(a.assessmentDate)).findFirst().ifPresent(a -> reasons.add(
                    new Reason("date", "not-before-assessment", "death on " + date + " is before assessment " + a.recordId + " on " + a.assessmentDate)));
            file.treatmentLines().stream().filter(line -> date.isBefore(line.startDate)).findFirst().ifPresent(line -> reasons.add(
                    new Reason("date", "not-before-treatment", "death on " + date + " is before treatment line " + line.recordId
                            + " starting " + line.startDate)));
            file.secondMalignancies().stream().filter(s -> date.isBefore(s.diagnosisDate)).findFirst().ifPresent(s -> reasons.add(
                    new Reason("date", "not-before-second-malignancy",
                            "death on " + date + " is before second malignancy " + s.recordId + " on " + s.diagnosisDate)));
        } else if (submitted.causeOfDeath() != null) {
            reasons.add(new Reason("causeOfDeath", "only-when-dead", "a cause of death needs vital status 'dead'"));
        }
        return reasons;
    }
}
