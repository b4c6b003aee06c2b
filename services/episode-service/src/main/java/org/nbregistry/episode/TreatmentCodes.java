package org.nbregistry.episode;

/** The code lists of a treatment line (DOMAIN.md b), spelled as their codes so JSON and the database use the same words. */
public final class TreatmentCodes {

    private TreatmentCodes() {
    }

    public enum TreatmentIntent { curative, palliative }

    /** PCDC ExtentEnum. */
    public enum SurgeryExtent { complete, gross_total, near_total, partial, biopsy_only }

    public enum RadiotherapyModality { photon, proton, other }

    public enum RadiotherapyTarget { primary, metastases, primary_and_metastases }

    public enum StemCellRescue { single, tandem }

    public enum NotCompletedReason { toxicity, progression, death, patient_choice, other }
}
