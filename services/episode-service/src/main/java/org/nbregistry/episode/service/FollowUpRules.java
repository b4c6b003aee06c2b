package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
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

    static List<Reason> check(FollowUpSubmitted submitted, FollowUp existing, List<Episode> episodes,
                              List<FollowUp> followUps, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        if (submitted.date().isAfter(today)) {
            reasons.add(new Reason("date", "not-in-future", "follow-up date " + submitted.date() + " is in the future"));
        }
        if (episodes.isEmpty()) {
            reasons.add(new Reason("patientPseudonym", "known-patient",
                    "patient " + submitted.patientPseudonym() + " has no episode in the registry; submit the episode first"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable", "record " + submitted.recordId() + " belongs to another patient"));
        }
        List<FollowUp> others = followUps.stream().filter(f -> existing == null || !f.id.equals(existing.id)).toList();
        others.stream().filter(f -> f.vitalStatus == VitalStatus.DEAD).findFirst().ifPresent(death -> {
            if (submitted.vitalStatus() == VitalStatus.DEAD) {
                reasons.add(new Reason("vitalStatus", "single-death", "the patient's death is already recorded on " + death.date));
            } else if (submitted.date().isAfter(death.date)) {
                reasons.add(new Reason("date", "not-after-death", "follow-up " + submitted.date() + " is after the patient's death on " + death.date));
            }
        });
        if (submitted.vitalStatus() == VitalStatus.DEAD) {
            others.stream().filter(f -> f.date.isAfter(submitted.date())).findFirst().ifPresent(later -> reasons.add(
                    new Reason("date", "not-before-last-contact", "the patient was seen alive on " + later.date + ", after this death date")));
        }
        episodes.stream().filter(e -> submitted.date().isBefore(e.episodeDate)).findFirst()
                .filter(e -> submitted.vitalStatus() == VitalStatus.DEAD)
                .ifPresent(e -> reasons.add(new Reason("date", "not-before-episode",
                        "death on " + submitted.date() + " is before episode " + e.recordId + " on " + e.episodeDate)));
        return reasons;
    }
}
