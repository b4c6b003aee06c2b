package org.nbregistry.episode.service;

import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.SecondMalignancySubmitted;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Rules a subsequent malignancy must meet against the patient's other records. */
final class SecondMalignancyRules {

    private SecondMalignancyRules() {
    }

    static List<Reason> check(SecondMalignancySubmitted submitted, SecondMalignancy existing, PatientFile file, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate date = submitted.diagnosisDate();
        if (date.isAfter(today)) {
            reasons.add(new Reason("diagnosisDate", "not-in-future", "diagnosis date " + date + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable",
                    "record " + submitted.recordId() + " belongs to another patient; withdraw it and submit a new record instead"));
        }
        if (!file.isKnown()) {
            reasons.add(new Reason("patientPseudonym", "known-patient",
                    "patient " + submitted.patientPseudonym() + " is not in the registry; submit the patient first"));
        }
        file.initialDiagnosisDate().filter(diagnosis -> !date.isAfter(diagnosis)).ifPresent(diagnosis -> reasons.add(
                new Reason("diagnosisDate", "after-initial-diagnosis",
                        "second malignancy on " + date + " is not after the initial diagnosis on " + diagnosis)));
        file.deathDate().filter(date::isAfter).ifPresent(death -> reasons.add(new Reason("diagnosisDate", "not-after-death",
                "second malignancy on " + date + " is after the patient's death on " + death)));
        return reasons;
    }
}
