package org.nbregistry.intake.fhir;

import org.nbregistry.intake.rest.SiteCodes.EpisodeType;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyModality;
import org.nbregistry.intake.rest.SiteCodes.TreatmentIntent;
import org.nbregistry.support.vocabulary.Agent;
import org.nbregistry.support.vocabulary.AgentVocabulary;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.MetastaticSite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The code systems, profiles and extensions the FHIR intake understands, and the translation of their codes to the
 * registry's code lists (api-specs/fhir/MAPPING.md). A code outside these tables is refused, never guessed.
 */
final class FhirTerms {

    static final String SCT = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String ICD_O_3 = "http://terminology.hl7.org/CodeSystem/icd-o-3";
    static final String HGNC = "http://www.genenames.org/geneId";
    static final String UCUM = "http://unitsofmeasure.org";

    static final String MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/";
    static final String REGISTRY = "https://nbregistry.org/fhir/";

    /** The pseudonym's identifier system: one per site, so a site can only name its own patients. */
    static String pseudonymSystem(String site) {
        return REGISTRY + "sid/" + site + "/pseudonym";
    }

    // Registry code systems where no standard one exists (DOMAIN.md (d): mCODE has no INRC value set).
    static final String CS_AGENT = REGISTRY + "CodeSystem/agent";
    static final String CS_INSS = REGISTRY + "CodeSystem/inss-stage";
    static final String CS_MYCN = REGISTRY + "CodeSystem/mycn-status";
    static final String CS_ALK_STATUS = REGISTRY + "CodeSystem/alk-status";
    static final String CS_RT_MODALITY = REGISTRY + "CodeSystem/radiotherapy-modality";
    static final String CS_INRC = REGISTRY + "CodeSystem/inrc";
    static final String CS_EPISODE_FINDING = REGISTRY + "CodeSystem/episode-finding";
    static final String CS_MIBG_AVIDITY = REGISTRY + "CodeSystem/mibg-avidity";
    static final String CS_PROFILING_METHOD = REGISTRY + "CodeSystem/profiling-method";
    static final String CS_SEGMENTAL_ABERRATION = REGISTRY + "CodeSystem/segmental-aberration";
    static final String CS_METASTATIC_SITE = REGISTRY + "CodeSystem/metastatic-site";
    static final String CS_ASSESSMENT_METHOD = REGISTRY + "CodeSystem/assessment-method";

    // Registry extensions.
    static final String EXT_EPISODE_TYPE = REGISTRY + "StructureDefinition/episode-type";
    static final String EXT_TREATMENT_LINE = REGISTRY + "StructureDefinition/treatment-line";
    static final String EXT_LINE_NUMBER = REGISTRY + "StructureDefinition/treatment-line-number";
    static final String EXT_TREATMENT_CATEGORY = REGISTRY + "StructureDefinition/treatment-category";
    static final String EXT_SURGERY_EXTENT = REGISTRY + "StructureDefinition/surgery-extent";
    static final String EXT_AGE_AT_DIAGNOSIS = REGISTRY + "StructureDefinition/age-at-diagnosis";
    static final String EXT_FRONTLINE = REGISTRY + "StructureDefinition/frontline-therapy";
    static final String EXT_DISEASE_EXTENT = REGISTRY + "StructureDefinition/disease-extent";
    static final String EXT_LYMPH_NODES = REGISTRY + "StructureDefinition/lymph-node-involvement";
    static final String EXT_TRIAL_ENROLMENT = REGISTRY + "StructureDefinition/clinical-trial-enrolment";
    static final String EXT_ENROLMENT_FOR = REGISTRY + "StructureDefinition/enrolment-for";
    static final String EXT_COMPONENT = REGISTRY + "StructureDefinition/treatment-component";
    static final String EXT_RT_TARGET = REGISTRY + "StructureDefinition/radiotherapy-target";
    static final String EXT_CAUSE_OF_DEATH = REGISTRY + "StructureDefinition/cause-of-death";
    static final String EXT_FOLLOW_UP_ID = REGISTRY + "StructureDefinition/follow-up-id";
    static final String PROFILE_SECOND_MALIGNANCY = REGISTRY + "StructureDefinition/second-malignancy";
    // mCODE STU3 radiotherapy extensions.
    static final String EXT_RT_DOSE = MCODE + "mcode-radiotherapy-dose-delivered-to-volume";
    static final String EXT_RT_MODALITY = MCODE + "mcode-radiotherapy-modality-and-technique";
    /** Treatment intent: mCODE STU3/STU4 name the extension procedure-intent, STU1/STU2 treatment-intent; either is read. */
    static final List<String> EXT_TREATMENT_INTENTS = List.of(MCODE + "mcode-procedure-intent", MCODE + "mcode-treatment-intent");

    /** The profiles a resource may claim in meta.profile, by resource type; any other profile is refused. */
    static final Map<String, Set<String>> PROFILES = Map.of(
            "Patient", Set.of(MCODE + "mcode-cancer-patient", REGISTRY + "StructureDefinition/registry-patient"),
            "Condition", Set.of(MCODE + "mcode-primary-cancer-condition", MCODE + "mcode-secondary-cancer-condition", PROFILE_SECOND_MALIGNANCY),
            "Observation", Set.of(MCODE + "mcode-cancer-disease-status", MCODE + "mcode-tumor-marker-test", MCODE + "mcode-genomic-variant",
                    MCODE + "mcode-cancer-stage", MCODE + "mcode-neuroblastoma-inrgss-stage", MCODE + "mcode-neuroblastoma-inss-stage", REGISTRY + "StructureDefinition/inrc-response",
                    REGISTRY + "StructureDefinition/episode-finding"),
            "MedicationAdministration", Set.of(MCODE + "mcode-cancer-related-medication-administration"),
            "MedicationRequest", Set.of(MCODE + "mcode-cancer-related-medication-request"),
            "Procedure", Set.of(MCODE + "mcode-cancer-related-surgical-procedure", MCODE + "mcode-radiotherapy-course-summary"),
            "CarePlan", Set.of(REGISTRY + "StructureDefinition/treatment-line-plan"),
            "Encounter", Set.of(),
            "ResearchSubject", Set.of());

    // Primary cancer: neuroblastoma by SNOMED CT or by ICD-O-3 morphology.
    static final String SCT_NEUROBLASTOMA = "432328008";
    static final String ICD_O_3_NEUROBLASTOMA = "9500/3";
    /** Secondary malignant neoplastic disease: a metastasis (mCODE SecondaryCancerCondition). */
    static final String SCT_SECONDARY_MALIGNANCY = "128462008";

    // Observation codes.
    static final String LOINC_DISEASE_STATUS = "97509-4";
    static final String SCT_WORSENED = "271299001";
    static final String NCIT_INRGSS = "C133427";
    static final String SCT_INSS = "409720004";
    /** MYCN amplification by FISH (93796-1); the copy-number ratios by FISH (93797-9, 93798-7) when reported as a status. */
    static final Set<String> LOINC_MYCN = Set.of("93796-1", "93797-9", "93798-7");
    static final String LOINC_GENETIC_VARIANT = "69548-6";
    static final String LOINC_GENE_STUDIED = "48018-6";
    static final String LOINC_AMINO_ACID_CHANGE = "48005-3";
    static final String LOINC_ALLELE_FREQUENCY = "81258-6";
    static final String LOINC_PRESENT = "LA9633-4";
    static final String LOINC_ABSENT = "LA9634-2";
    static final String HGNC_ALK = "HGNC:427";
    static final String INRC_ASSESSMENT = "assessment";
    static final String FINDING_MIBG = "mibg";
    static final String FINDING_PROFILING = "molecular-profiling";
    static final String FINDING_SEGMENTAL = "segmental-aberrations";

    // Procedure codes.
    static final String SCT_RADIOTHERAPY_COURSE = "1217123003";
    static final String SCT_AUTOLOGOUS_HSCT = "709115004";
    static final String SCT_BIOPSY = "86273004";

    static final Map<String, InrgssStage> INRGSS = Map.of("C133428", InrgssStage.L1, "C133429", InrgssStage.L2,
            "C133430", InrgssStage.M, "C133431", InrgssStage.MS);

    static final Map<String, EpisodeType> EPISODE_TYPES = Map.of("C38014", EpisodeType.refractory, "C38155", EpisodeType.relapse,
            "C17747", EpisodeType.progression);

    /** mCODE TreatmentIntentVS (SNOMED CT procedure intents). */
    static final Map<String, TreatmentIntent> TREATMENT_INTENTS = Map.of("373808002", TreatmentIntent.curative,
            "363676003", TreatmentIntent.palliative);

    /** The PCDC NCIt codes of metastatic sites (DOMAIN.md b); every site also has its code in CodeSystem/metastatic-site. */
    static final Map<String, MetastaticSite> NCIT_METASTATIC_SITES = Map.of("C12366", MetastaticSite.bone, "C12431", MetastaticSite.bone_marrow,
            "C12745", MetastaticSite.distant_lymph_nodes, "C12392", MetastaticSite.liver, "C12438", MetastaticSite.cns,
            "C12468", MetastaticSite.lung, "C12470", MetastaticSite.skin);

    static final Map<String, RadiotherapyModality> RT_MODALITIES = Map.of("1156506007", RadiotherapyModality.photon,
            "10611004", RadiotherapyModality.proton);

    /**
     * RxNorm ingredient codes of the agent vocabulary; NCIt codes come from the vocabulary itself, and every agent can
     * also be named by its registry code (CodeSystem/agent), the only code of those the vocabulary has no code for yet.
     */
    private static final Map<String, String> RXNORM_AGENTS = Map.ofEntries(
            Map.entry("51499", "irinotecan"), Map.entry("57308", "topotecan"), Map.entry("37776", "temozolomide"),
            Map.entry("3002", "cyclophosphamide"), Map.entry("4179", "etoposide"), Map.entry("40048", "carboplatin"),
            Map.entry("11202", "vincristine"), Map.entry("3639", "doxorubicin"), Map.entry("5657", "ifosfamide"),
            Map.entry("1828", "busulfan"), Map.entry("6718", "melphalan"), Map.entry("10473", "thiotepa"),
            Map.entry("6064", "isotretinoin"), Map.entry("1148495", "crizotinib"));

    private static final Map<String, String> NCIT_AGENTS = new HashMap<>();

    static {
        for (Agent agent : AgentVocabulary.all()) {
            if (agent.ncitCode() != null) {
                NCIT_AGENTS.put(agent.ncitCode(), agent.code());
            }
        }
    }

    private FhirTerms() {
    }

    /** The registry agent code of a coding, or null when the coding names no agent of the vocabulary. */
    static String agent(String system, String code) {
        if (code == null) {
            return null;
        }
        return switch (system == null ? "" : system) {
            case RXNORM -> RXNORM_AGENTS.get(code);
            case NCIT -> NCIT_AGENTS.get(code);
            case CS_AGENT -> AgentVocabulary.isKnown(code) ? code : null;
            default -> null;
        };
    }
}
