package org.nbregistry.intake.rest;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The code lists of the site records (DOMAIN.md section b). A value outside its list is refused with the allowed
 * codes. Codes that are not Java names (INSS "2A", "11q_loss") are spelled by {@code code()}.
 */
public final class SiteCodes {

    private SiteCodes() {
    }

    public enum EpisodeType { refractory, relapse, progression }

    public enum VitalStatus { alive, dead }

    public enum TreatmentCategory { chemotherapy, immunotherapy, consolidation, local_surgery, local_radiotherapy, maintenance, targeted, other }

    /** INRC 2017 response of the primary tumour or of soft-tissue/bone metastases; NI = not involved, NE = not evaluated. */
    public enum ComponentResponse { CR, PR, SD, PD, NI, NE }

    /** INRC 2017 bone-marrow response; MD = minimal disease (more than 0 and at most 5% infiltration). */
    public enum MarrowResponse { CR, MD, SD, PD, NI, NE }

    public enum TreatmentIntent { curative, palliative }

    /** PCDC ExtentEnum. */
    public enum SurgeryExtent { complete, gross_total, near_total, partial, biopsy_only }

    public enum RadiotherapyModality { photon, proton, other }

    public enum RadiotherapyTarget { primary, metastases, primary_and_metastases }

    public enum StemCellRescue { single, tandem }

    public enum NotCompletedReason { toxicity, progression, death, patient_choice, other }
}
