package org.nbregistry.support.vocabulary;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * The clinical code lists of DOMAIN.md (b), one data dictionary for every service: intake validates against them,
 * episode-service stores them. Constants are spelled as their codes, so JSON and the database (EnumType.STRING)
 * use the same words; the lists whose codes are not Java names carry them in {@code code()}, which is also their
 * {@code toString()} so that "allowed values" messages show the codes.
 */
public final class ClinicalCodes {

    private ClinicalCodes() {
    }

    public enum Sex { male, female, unknown }

    public enum InrgssStage { L1, L2, M, MS }

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

        public static InssStage ofCode(String code) {
            return Arrays.stream(values()).filter(v -> v.code.equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no INSS stage " + code));
        }
    }

    public enum MycnStatus { amplified, gain, not_amplified, heterogeneous, not_done, unknown }

    public enum HdcAsct { none, single, tandem }

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

        public static SegmentalAberration ofCode(String code) {
            return Arrays.stream(values()).filter(v -> v.code.equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no segmental aberration " + code));
        }
    }

    public enum CauseOfDeath { disease_progression, treatment_related, secondary_malignancy, other, unknown }

    public enum AssessmentMethod { ct, mri, mibg, fdg_pet, bm_aspirate, bm_biopsy }
}
