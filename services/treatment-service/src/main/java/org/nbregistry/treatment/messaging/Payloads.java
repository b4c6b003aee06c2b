package org.nbregistry.treatment.messaging;

import org.nbregistry.treatment.TreatmentCategory;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The payloads treatment-service reads and writes; their schemas are api-specs/events/*.schema.json. */
public final class Payloads {

    private Payloads() {
    }

    public record TreatmentSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                     String episodeRecordId, TreatmentCategory category, LocalDate startDate) {
    }

    public record TreatmentRecorded(UUID treatmentId, String site, String recordId, String patientPseudonym,
                                    String episodeRecordId, TreatmentCategory category, LocalDate startDate) {
    }

    public record RecordStatus(String submissionId, String site, String recordType, String recordId, String status,
                               List<Reason> reasons) {
    }

    public record Reason(String field, String rule, String message) {
    }
}
