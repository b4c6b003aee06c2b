package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.WithdrawalSubmitted;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Rules a withdrawal must meet: the record exists for the site and patient, and nothing stored depends on it. */
final class WithdrawalRules {

    private WithdrawalRules() {
    }

    /** @param storedPseudonym the stored record's patient, or null when the site has no such record */
    static List<Reason> check(WithdrawalSubmitted withdrawal, String storedPseudonym) {
        List<Reason> reasons = new ArrayList<>();
        if (storedPseudonym == null) {
            reasons.add(new Reason("recordId", "known-record",
                    "site " + withdrawal.site() + " has no " + withdrawal.recordType() + " " + withdrawal.recordId() + " to withdraw"));
        } else if (!storedPseudonym.equals(withdrawal.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable", "record " + withdrawal.recordId() + " belongs to another patient"));
        }
        return reasons;
    }

    /** An episode goes only once its assessments are gone: they would be left without an episode. */
    static List<Reason> checkEpisode(WithdrawalSubmitted withdrawal, Episode episode, PatientFile file) {
        List<Reason> reasons = check(withdrawal, episode == null ? null : episode.patientPseudonym);
        if (reasons.isEmpty()) {
            List<ResponseAssessment> dependents = file.assessmentsOf(episode.id);
            if (!dependents.isEmpty()) {
                reasons.add(new Reason("recordId", "no-dependent-records", "episode " + episode.recordId + " still has response assessments "
                        + dependents.stream().map(a -> a.recordId).collect(Collectors.joining(", ")) + "; withdraw them first"));
            }
        }
        return reasons;
    }
}
