package org.nbregistry.episode.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.nbregistry.support.vocabulary.ClinicalCodes.AlkStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.AssessmentMethod;
import org.nbregistry.support.vocabulary.ClinicalCodes.CauseOfDeath;
import org.nbregistry.support.vocabulary.ClinicalCodes.DiseaseExtent;
import org.nbregistry.support.vocabulary.ClinicalCodes.HdcAsct;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.InssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.LymphNodeInvolvement;
import org.nbregistry.support.vocabulary.ClinicalCodes.MetastaticSite;
import org.nbregistry.support.vocabulary.ClinicalCodes.MibgAvidity;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.ProfilingMethod;
import org.nbregistry.support.vocabulary.ClinicalCodes.SegmentalAberration;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;
import org.nbregistry.episode.EpisodeType;
import org.nbregistry.episode.TreatmentCategory;
import org.nbregistry.episode.TreatmentCodes.NotCompletedReason;
import org.nbregistry.episode.TreatmentCodes.RadiotherapyModality;
import org.nbregistry.episode.TreatmentCodes.RadiotherapyTarget;
import org.nbregistry.episode.TreatmentCodes.StemCellRescue;
import org.nbregistry.episode.TreatmentCodes.SurgeryExtent;
import org.nbregistry.episode.TreatmentCodes.TreatmentIntent;
import org.nbregistry.episode.VitalStatus;
import org.nbregistry.episode.response.ComponentResponse;
import org.nbregistry.episode.response.MarrowResponse;
import org.nbregistry.episode.response.OverallResponse;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The payloads episode-service reads and writes; their schemas are api-specs/events/*.schema.json. A *State is the
 * whole current state of one record, published as its *Recorded event and served by the REST view; absent optional
 * values are left out.
 */
public final class Payloads {

    private Payloads() {
    }

    // ------------------------------------------------------------ parts shared by several records

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Frontline(String protocol, HdcAsct hdcAsct, Boolean antiGd2, Boolean radiotherapy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mibg(MibgAvidity avidity, Integer curieScore, Integer siopenScore) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Biopsy(Boolean performed, LocalDate date) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record MolecularProfiling(Boolean performed, List<ProfilingMethod> methods) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alk(AlkStatus status, String hgvsProtein, Double variantAlleleFraction) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrialEnrolment(Boolean enrolled, String registryId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Radiotherapy(Double totalDoseGy, Integer fractions, RadiotherapyModality modality, RadiotherapyTarget target) {
    }

    // ------------------------------------------------------------ intake.disease-records

    public record PatientSubmitted(String submissionId, String site, String recordId, String patientPseudonym, Sex sex,
                                   String birthYearMonth, Integer ageAtInitialDiagnosisDays, LocalDate initialDiagnosisDate,
                                   InrgssStage inrgssStage, InssStage inssStage, MycnStatus mycnStatusAtDiagnosis,
                                   Frontline frontline) {
    }

    public record EpisodeSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                   EpisodeType episodeType, LocalDate episodeDate, DiseaseExtent diseaseExtent,
                                   List<MetastaticSite> metastaticSites, String otherMetastaticSite,
                                   LymphNodeInvolvement lymphNodeInvolvement, Mibg mibg, Biopsy biopsy,
                                   MolecularProfiling molecularProfiling, MycnStatus mycnStatus, Alk alk,
                                   List<SegmentalAberration> segmentalAberrations, TrialEnrolment clinicalTrial) {
    }

    public record ResponseAssessmentSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                              String episodeRecordId, LocalDate assessmentDate, String timepointLabel,
                                              List<AssessmentMethod> methods, ComponentResponse primaryResponse,
                                              ComponentResponse metastaticResponse, MarrowResponse boneMarrowResponse,
                                              Integer curieScore, Integer siopenScore, Double boneMarrowInfiltrationPercent) {
    }

    public record FollowUpSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                    LocalDate date, VitalStatus vitalStatus, CauseOfDeath causeOfDeath) {
    }

    public record SecondMalignancySubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                            LocalDate diagnosisDate, String diagnosis) {
    }

    /** A site withdrew one of its records; recordType names which. */
    public record SubmittedComponent(TreatmentCategory category, List<String> agents, LocalDate startDate, LocalDate endDate,
                                     Integer cycles, Boolean completed, NotCompletedReason notCompletedReason,
                                     SurgeryExtent surgeryExtent, Radiotherapy radiotherapy, StemCellRescue stemCellRescue) {
    }

    public record TreatmentSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                     String episodeRecordId, Integer lineNumber, TreatmentIntent intent, LocalDate startDate,
                                     LocalDate endDate, String regimenLabel, TrialEnrolment clinicalTrial,
                                     List<SubmittedComponent> components) {
    }

    public record WithdrawalSubmitted(String submissionId, String site, String recordType, String recordId, String patientPseudonym) {
    }

    // ------------------------------------------------------------ registry.episode-events

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatientState(UUID patientId, String site, String recordId, String patientPseudonym, Sex sex,
                               String birthYearMonth, Integer ageAtInitialDiagnosisDays, LocalDate initialDiagnosisDate,
                               InrgssStage inrgssStage, InssStage inssStage, MycnStatus mycnStatusAtDiagnosis,
                               Frontline frontline) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record EpisodeState(UUID episodeId, String site, String recordId, String patientPseudonym,
                               EpisodeType episodeType, LocalDate episodeDate, int episodeOrder, String episodeGroup,
                               Integer timeFromInitialDiagnosisDays, DiseaseExtent diseaseExtent,
                               List<MetastaticSite> metastaticSites, String otherMetastaticSite,
                               LymphNodeInvolvement lymphNodeInvolvement, Mibg mibg, Biopsy biopsy,
                               MolecularProfiling molecularProfiling, MycnStatus mycnStatus, Alk alk,
                               List<SegmentalAberration> segmentalAberrations, TrialEnrolment clinicalTrial,
                               OverallResponse bestOverallResponse, Boolean diseaseControl) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ResponseAssessmentState(UUID assessmentId, String site, String recordId, String patientPseudonym,
                                          UUID episodeId, String episodeRecordId, LocalDate assessmentDate,
                                          String timepointLabel, List<AssessmentMethod> methods,
                                          ComponentResponse primaryResponse, ComponentResponse metastaticResponse,
                                          MarrowResponse boneMarrowResponse, Integer curieScore, Integer siopenScore,
                                          Double boneMarrowInfiltrationPercent, OverallResponse overallResponse,
                                          String responseSystem, boolean needsCentralReview, String centralReviewReason) {
    }

    public record FollowUpRecorded(UUID followUpId, String site, String recordId, String patientPseudonym,
                                   LocalDate date, VitalStatus vitalStatus, LocalDate lastFollowUpDate, LocalDate deathDate,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) CauseOfDeath causeOfDeath) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SecondMalignancyState(UUID secondMalignancyId, String site, String recordId, String patientPseudonym,
                                        LocalDate diagnosisDate, String diagnosis) {
    }

    /** A removed record; a follow-up's withdrawal also carries the patient's follow-up summary afterwards. */
    /** An agent as the vocabulary defines it; ncitCode absent while none has been chosen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgentRef(String code, String name, String ncitCode, String agentClass) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentState(TreatmentCategory category, List<AgentRef> agents, LocalDate startDate, LocalDate endDate,
                                 Integer cycles, Boolean completed, NotCompletedReason notCompletedReason,
                                 SurgeryExtent surgeryExtent, Radiotherapy radiotherapy, StemCellRescue stemCellRescue) {
    }

    /** A treatment line with its components; `category` is the first component's, kept for consumers of the single-category record. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TreatmentState(UUID treatmentId, String site, String recordId, String patientPseudonym, String episodeRecordId,
                                 TreatmentCategory category, LocalDate startDate, int lineNumber, TreatmentIntent intent,
                                 LocalDate endDate, String regimenLabel, TrialEnrolment clinicalTrial,
                                 List<TreatmentCategory> categories, List<String> agentCodes, List<ComponentState> components) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordWithdrawn(String recordType, UUID id, String site, String recordId, String patientPseudonym,
                                  LocalDate lastFollowUpDate, LocalDate deathDate) {
    }

    // ------------------------------------------------------------ registry.record-status

    public record RecordStatus(String submissionId, String site, String recordType, String recordId, String status,
                               List<Reason> reasons) {
    }

    /** Why a record was rejected: which field, which rule, in words a data manager understands. */
    public record Reason(String field, String rule, String message) {
    }
}
