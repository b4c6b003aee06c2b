package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.messaging.Payloads.PatientSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rules a patient record must meet against the patient's other records. */
final class PatientRules {

    private PatientRules() {
    }

    static List<Reason> check(PatientSubmitted submitted, Patient existing, PatientFile file, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate diagnosis = submitted.initialDiagnosisDate();
        if (diagnosis.isAfter(today)) {
            reasons.add(new Reason("initialDiagnosisDate", "not-in-future", "initial diagnosis " + diagnosis + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable",
                    "record " + submitted.recordId() + " belongs to another patient; withdraw it and submit a new record instead"));
        }
        Patient registered = file.patient();
        if (registered != null && (existing == null || !registered.id.equals(existing.id))) {
            reasons.add(new Reason("patientPseudonym", "single-patient-record", "patient " + submitted.patientPseudonym()
                    + " is already registered by this site as record " + registered.recordId));
        }
        file.episodes().stream().min(Comparator.comparing((Episode e) -> e.episodeDate))
                .filter(first -> !first.episodeDate.isAfter(diagnosis))
                .ifPresent(first -> reasons.add(new Reason("initialDiagnosisDate", "before-first-episode",
                        "initial diagnosis " + diagnosis + " is not before episode " + first.recordId + " on " + first.episodeDate)));
        file.deathDate().filter(diagnosis::isAfter).ifPresent(death -> reasons.add(new Reason("initialDiagnosisDate",
                "not-after-death", "initial diagnosis " + diagnosis + " is after the patient's death on " + death)));
        return reasons;
    }
}
