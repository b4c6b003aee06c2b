package org.nbregistry.treatment.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.nbregistry.treatment.TreatmentCategory;
import org.nbregistry.treatment.TreatmentCodes.NotCompletedReason;
import org.nbregistry.treatment.TreatmentCodes.RadiotherapyModality;
import org.nbregistry.treatment.TreatmentCodes.RadiotherapyTarget;
import org.nbregistry.treatment.TreatmentCodes.StemCellRescue;
import org.nbregistry.treatment.TreatmentCodes.SurgeryExtent;
import org.nbregistry.treatment.TreatmentCodes.TreatmentIntent;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The payloads treatment-service reads and writes; their schemas are api-specs/events/*.schema.json. TreatmentState
 * is the whole current state of a line, published as TreatmentRecorded and served by the REST view.
 */
public final class Payloads {

    private Payloads() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrialEnrolment(Boolean enrolled, String registryId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Radiotherapy(Double totalDoseGy, Integer fractions, RadiotherapyModality modality, RadiotherapyTarget target) {
    }

    public record SubmittedComponent(TreatmentCategory category, List<String> agents, LocalDate startDate, LocalDate endDate,
                                     Integer cycles, Boolean completed, NotCompletedReason notCompletedReason,
                                     SurgeryExtent surgeryExtent, Radiotherapy radiotherapy, StemCellRescue stemCellRescue) {
    }

    public record TreatmentSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                     String episodeRecordId, Integer lineNumber, TreatmentIntent intent, LocalDate startDate,
                                     LocalDate endDate, String regimenLabel, TrialEnrolment clinicalTrial,
                                     List<SubmittedComponent> components) {
    }

    /** An agent as the vocabulary defines it; ncitCode absent while none has been chosen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgentRef(String code, String name, String ncitCode, String agentClass) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentState(TreatmentCategory category, List<AgentRef> agents, LocalDate startDate, LocalDate endDate,
                                 Integer cycles, Boolean completed, NotCompletedReason notCompletedReason,
                                 SurgeryExtent surgeryExtent, Radiotherapy radiotherapy, StemCellRescue stemCellRescue) {
    }

    /** `category` is the first component's, kept for consumers of the single-category record. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TreatmentState(UUID treatmentId, String site, String recordId, String patientPseudonym, String episodeRecordId,
                                 TreatmentCategory category, LocalDate startDate, int lineNumber, TreatmentIntent intent,
                                 LocalDate endDate, String regimenLabel, TrialEnrolment clinicalTrial,
                                 List<TreatmentCategory> categories, List<String> agentCodes, List<ComponentState> components) {
    }

    /** A site withdrew one of its records; recordType names which. */
    public record WithdrawalSubmitted(String submissionId, String site, String recordType, String recordId, String patientPseudonym) {
    }

    public record RecordWithdrawn(String recordType, UUID id, String site, String recordId, String patientPseudonym) {
    }

    public record RecordStatus(String submissionId, String site, String recordType, String recordId, String status,
                               List<Reason> reasons) {
    }

    public record Reason(String field, String rule, String message) {
    }
}
