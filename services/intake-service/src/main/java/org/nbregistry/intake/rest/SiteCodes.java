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

    public enum Sex { male, female, unknown }

    public enum InrgssStage { L1, L2, M, MS }

    /** Legacy INSS stage, kept for sites that staged by it. */
    public enum InssStage {
        STAGE_1("1"), STAGE_2A("2A"), STAGE_2B("2B"), STAGE_3("3"), STAGE_4("4"), STAGE_4S("4S");

        private final String code;

        InssStage(String code) {
            this.code = code;
        }

        @JsonValue
        public String code() {
            return code;
        }

        @Override
        public String toString() {
            return code;
        }
    }

    /** INRG consensus: amplified = more than 4-fold MYCN signals relative to chromosome 2, gain = 2 to 4-fold. */
    public enum MycnStatus { amplified, gain, not_amplified, heterogeneous, not_done, unknown }

    public enum DiseaseExtent { local, metastatic, combined }

    public enum MetastaticSite { bone, bone_marrow, regional_lymph_nodes, distant_lymph_nodes, liver, lung, cns, skin, other }

    public enum LymphNodeInvolvement { none, regional, distant }

    public enum MibgAvidity { avid, non_avid, not_done }

    public enum ProfilingMethod { fish, snp_array, mlpa, ngs_panel, wes_wgs, rna_seq, ctdna }

    public enum AlkStatus { wild_type, mutated, amplified, not_done }

    public enum SegmentalAberration {
        LOSS_11Q("11q_loss"), LOSS_1P("1p_loss"), GAIN_17Q("17q_gain"), GAIN_1Q("1q_gain"), GAIN_2P("2p_gain"),
        LOSS_3P("3p_loss"), LOSS_4P("4p_loss"), NONE("none"), NOT_DONE("not_done");

        private final String code;

        SegmentalAberration(String code) {
            this.code = code;
        }

        @JsonValue
        public String code() {
            return code;
        }

        @Override
        public String toString() {
            return code;
        }
    }

    public enum CauseOfDeath { disease_progression, treatment_related, secondary_malignancy, other, unknown }

    public enum HdcAsct { none, single, tandem }

    /** INRC 2017 response of the primary tumour or of soft-tissue/bone metastases; NI = not involved, NE = not evaluated. */
    public enum ComponentResponse { CR, PR, SD, PD, NI, NE }

    /** INRC 2017 bone-marrow response; MD = minimal disease (more than 0 and at most 5% infiltration). */
    public enum MarrowResponse { CR, MD, SD, PD, NI, NE }

    public enum AssessmentMethod { ct, mri, mibg, fdg_pet, bm_aspirate, bm_biopsy }

    public enum TreatmentIntent { curative, palliative }

    /** PCDC ExtentEnum. */
    public enum SurgeryExtent { complete, gross_total, near_total, partial, biopsy_only }

    public enum RadiotherapyModality { photon, proton, other }

    public enum RadiotherapyTarget { primary, metastases, primary_and_metastases }

    public enum StemCellRescue { single, tandem }

    public enum NotCompletedReason { toxicity, progression, death, patient_choice, other }
}
