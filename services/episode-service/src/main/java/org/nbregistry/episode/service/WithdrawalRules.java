package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.TreatmentLine;
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

    /** An episode goes only once its assessments and treatment lines are gone: they would be left without an episode. */
    static List<Reason> checkEpisode(WithdrawalSubmitted withdrawal, Episode episode, PatientFile file) {
        List<Reason> reasons = check(withdrawal, episode == null ? null : episode.patientPseudonym);
        if (reasons.isEmpty()) {
            List<ResponseAssessment> assessments = file.assessmentsOf(episode.id);
            if (!assessments.isEmpty()) {
                reasons.add(new Reason("recordId", "no-dependent-records", "episode " + episode.recordId + " still has response assessments "
                        + assessments.stream().map(a -> a.recordId).collect(Collectors.joining(", ")) + "; withdraw them first"));
            }
            List<TreatmentLine> lines = file.treatmentLinesOf(episode);
            if (!lines.isEmpty()) {
                reasons.add(new Reason("recordId", "no-dependent-records", "episode " + episode.recordId + " still has treatment lines "
                        + lines.stream().map(l -> l.recordId).collect(Collectors.joining(", ")) + "; withdraw them first"));
            }
        }
        return reasons;
    }
}
