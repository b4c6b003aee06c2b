package org.nbregistry.intake.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.nbregistry.support.vocabulary.ClinicalCodes.AlkStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.AssessmentMethod;
import org.nbregistry.support.vocabulary.ClinicalCodes.CauseOfDeath;
import org.nbregistry.intake.rest.SiteCodes.ComponentResponse;
import org.nbregistry.support.vocabulary.ClinicalCodes.DiseaseExtent;
import org.nbregistry.intake.rest.SiteCodes.EpisodeType;
import org.nbregistry.support.vocabulary.ClinicalCodes.HdcAsct;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.InssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.LymphNodeInvolvement;
import org.nbregistry.intake.rest.SiteCodes.MarrowResponse;
import org.nbregistry.support.vocabulary.ClinicalCodes.MetastaticSite;
import org.nbregistry.support.vocabulary.ClinicalCodes.MibgAvidity;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.intake.rest.SiteCodes.NotCompletedReason;
import org.nbregistry.support.vocabulary.ClinicalCodes.ProfilingMethod;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyModality;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyTarget;
import org.nbregistry.support.vocabulary.ClinicalCodes.SegmentalAberration;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;
import org.nbregistry.intake.rest.SiteCodes.StemCellRescue;
import org.nbregistry.intake.rest.SiteCodes.SurgeryExtent;
import org.nbregistry.intake.rest.SiteCodes.TreatmentCategory;
import org.nbregistry.intake.rest.SiteCodes.TreatmentIntent;
import org.nbregistry.intake.rest.SiteCodes.VitalStatus;
import org.nbregistry.support.problem.RuleViolations.Broken;
import org.nbregistry.support.vocabulary.AgentVocabulary;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The records a site submits (DOMAIN.md section b). Field rules and rules between the fields of one record are
 * checked here, synchronously; rules that need other records are the owning service's. Unknown fields are refused
 * (quarkus.jackson.fail-on-unknown-properties), so a site cannot send identifying data by accident. What is derived
 * (episode order, overall INRC response) has no field here, so it cannot be entered. Absent optional values are
 * left out of the published event rather than sent as null.
 */
public final class SiteRecords {

    /** A site code, as the `site` claim of a site's token carries it. */
    static final String SITE = "^[A-Z0-9][A-Z0-9_-]{0,31}$";
    static final String PSEUDONYM = "^[A-Za-z0-9_-]{4,64}$";
    /** The site's own id of a record; "." and ".." are excluded because they cannot be a path segment of its URL. */
    static final String RECORD_ID = "^(?!\\.{1,2}$)[A-Za-z0-9._:-]{1,64}$";
    static final String YEAR_MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$";
    /** ClinicalTrials.gov (NCT + 8 digits), EudraCT (2004-000000-00) or CTIS (2022-500000-00-00). */
    static final String TRIAL_ID = "^(NCT[0-9]{8}|[0-9]{4}-[0-9]{6}-[0-9]{2}(-[0-9]{2})?)$";
    /** HGVS protein change, one-letter or three-letter: p.F1174L, p.Arg1275Gln. */
    static final String HGVS_PROTEIN = "^p\\.\\(?[A-Z][a-z]{0,2}[0-9]{1,5}([A-Z][a-z]{0,2}|\\*|=|fs[A-Za-z0-9*]*|del|dup)\\)?$";
    /** Short labels only: free text must not become a channel for identifying data. */
    static final String SHORT_LABEL = "^[\\p{L}0-9][\\p{L}0-9 +/(),.±_-]{0,39}$";
    static final String AGENT_CODE = "^[a-z0-9_]{2,40}$";
    /** 25 years: neuroblastoma is a childhood cancer, adolescents and young adults included. */
    static final int MAX_AGE_DAYS = 9131;

    private static final String RECORD_ID_MESSAGE = "must be 1-64 letters, digits or . _ : -, and not . or ..";
    private static final String PSEUDONYM_MESSAGE = "must be a registry pseudonym of 4-64 letters, digits, '-' or '_'";
    private static final String LABEL_MESSAGE = "must be a short label of at most 40 letters, digits, spaces or + / ( ) , . ± _ -";

    private SiteRecords() {
    }

    /**
     * What every record has: the site's own record id and the patient's pseudonym. The site is not a field: it is
     * the one the caller's token names, added to the published event by intake.
     */
    public interface SiteRecord {
        String recordId();

        String patientPseudonym();
    }

    // ---------------------------------------------------------------- patient

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatientRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotNull Sex sex,
            @Pattern(regexp = YEAR_MONTH, message = "must be a year and month, YYYY-MM") String birthYearMonth,
            @Min(0) @Max(MAX_AGE_DAYS) Integer ageAtInitialDiagnosisDays,
            @NotNull @PastOrPresent LocalDate initialDiagnosisDate,
            InrgssStage inrgssStage,
            InssStage inssStage,
            MycnStatus mycnStatusAtDiagnosis,
            @Valid Frontline frontline) implements SiteRecord, CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            if (birthYearMonth == null && ageAtInitialDiagnosisDays == null) {
                broken.add(new Broken("ageAtInitialDiagnosisDays", "age-or-birth-month",
                        "give the age at initial diagnosis in days or the birth year-month"));
            }
            YearMonth birth = birthYearMonth == null || !birthYearMonth.matches(YEAR_MONTH) ? null : YearMonth.parse(birthYearMonth);
            if (birth != null && initialDiagnosisDate != null) {
                if (birth.isAfter(YearMonth.from(initialDiagnosisDate))) {
                    broken.add(new Broken("birthYearMonth", "born-before-diagnosis",
                            "birth month " + birth + " is after the initial diagnosis on " + initialDiagnosisDate));
                } else if (ageAtInitialDiagnosisDays != null
                        && !YearMonth.from(initialDiagnosisDate.minusDays(ageAtInitialDiagnosisDays)).equals(birth)) {
                    broken.add(new Broken("ageAtInitialDiagnosisDays", "age-matches-birth-month",
                            "an age of " + ageAtInitialDiagnosisDays + " days on " + initialDiagnosisDate + " means birth in "
                                    + YearMonth.from(initialDiagnosisDate.minusDays(ageAtInitialDiagnosisDays)) + ", not " + birth));
                }
            }
            return broken;
        }
    }

    /** A summary of frontline therapy, enough to group patients; details stay at the site. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Frontline(
            @Pattern(regexp = SHORT_LABEL, message = LABEL_MESSAGE) String protocol,
            HdcAsct hdcAsct,
            Boolean antiGd2,
            Boolean radiotherapy) {
    }

    // ---------------------------------------------------------------- episode

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EpisodeRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotNull EpisodeType episodeType,
            @NotNull @PastOrPresent LocalDate episodeDate,
            DiseaseExtent diseaseExtent,
            List<@NotNull MetastaticSite> metastaticSites,
            @Pattern(regexp = SHORT_LABEL, message = LABEL_MESSAGE) String otherMetastaticSite,
            LymphNodeInvolvement lymphNodeInvolvement,
            @Valid Mibg mibg,
            @Valid Biopsy biopsy,
            @Valid MolecularProfiling molecularProfiling,
            MycnStatus mycnStatus,
            @Valid Alk alk,
            List<@NotNull SegmentalAberration> segmentalAberrations,
            @Valid TrialEnrolment clinicalTrial) implements SiteRecord, CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            distinct("metastaticSites", metastaticSites, broken);
            distinct("segmentalAberrations", segmentalAberrations, broken);
            Set<MetastaticSite> sites = new HashSet<>(metastaticSites == null ? List.of() : metastaticSites);
            sites.remove(null);
            if (diseaseExtent == DiseaseExtent.local && !sites.isEmpty()) {
                broken.add(new Broken("metastaticSites", "local-without-metastases",
                        "disease extent 'local' has no metastatic sites, but " + sites + " are given"));
            }
            if (sites.contains(MetastaticSite.other) != (otherMetastaticSite != null)) {
                broken.add(new Broken("otherMetastaticSite", "other-site-named",
                        "name the other metastatic site exactly when 'other' is among the metastatic sites"));
            }
            if (lymphNodeInvolvement == LymphNodeInvolvement.none
                    && (sites.contains(MetastaticSite.regional_lymph_nodes) || sites.contains(MetastaticSite.distant_lymph_nodes))) {
                broken.add(new Broken("lymphNodeInvolvement", "lymph-nodes-consistent",
                        "lymph-node involvement 'none' contradicts lymph nodes among the metastatic sites"));
            }
            if (lymphNodeInvolvement == LymphNodeInvolvement.regional && sites.contains(MetastaticSite.distant_lymph_nodes)) {
                broken.add(new Broken("lymphNodeInvolvement", "lymph-nodes-consistent",
                        "distant lymph nodes among the metastatic sites mean lymph-node involvement 'distant'"));
            }
            if (segmentalAberrations != null && segmentalAberrations.size() > 1
                    && (segmentalAberrations.contains(SegmentalAberration.NONE) || segmentalAberrations.contains(SegmentalAberration.NOT_DONE))) {
                broken.add(new Broken("segmentalAberrations", "exclusive-code",
                        "'none' and 'not_done' stand alone; they cannot be combined with other aberrations"));
            }
            if (biopsy != null && biopsy.date() != null && episodeDate != null && biopsy.date().isBefore(episodeDate)) {
                broken.add(new Broken("biopsy.date", "not-before-episode",
                        "biopsy on " + biopsy.date() + " is before the episode date " + episodeDate
                                + " (the episode date is the first documenting assessment)"));
            }
            return broken;
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mibg(
            @NotNull MibgAvidity avidity,
            @Min(0) @Max(30) Integer curieScore,
            @Min(0) @Max(72) Integer siopenScore) implements CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            if (avidity != MibgAvidity.avid && curieScore != null) {
                broken.add(new Broken("curieScore", "scored-only-when-avid", "a Curie score needs MIBG avidity 'avid'"));
            }
            if (avidity != MibgAvidity.avid && siopenScore != null) {
                broken.add(new Broken("siopenScore", "scored-only-when-avid", "a SIOPEN score needs MIBG avidity 'avid'"));
            }
            return broken;
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Biopsy(@NotNull Boolean performed, @PastOrPresent LocalDate date) implements CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            return date != null && !Boolean.TRUE.equals(performed)
                    ? List.of(new Broken("date", "only-when-performed", "a biopsy date needs performed = true"))
                    : List.of();
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MolecularProfiling(@NotNull Boolean performed, List<@NotNull ProfilingMethod> methods)
            implements CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            distinct("methods", methods, broken);
            if (methods != null && !methods.isEmpty() && !Boolean.TRUE.equals(performed)) {
                broken.add(new Broken("methods", "only-when-performed", "profiling methods need performed = true"));
            }
            return broken;
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alk(
            @NotNull AlkStatus status,
            @Pattern(regexp = HGVS_PROTEIN, message = "must be an HGVS protein change such as p.F1174L") String hgvsProtein,
            @DecimalMin("0.0") @DecimalMax("1.0") Double variantAlleleFraction) implements CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            if (status != AlkStatus.mutated && hgvsProtein != null) {
                broken.add(new Broken("hgvsProtein", "only-when-mutated", "a protein change needs ALK status 'mutated'"));
            }
            if (status != AlkStatus.mutated && variantAlleleFraction != null) {
                broken.add(new Broken("variantAlleleFraction", "only-when-mutated", "a variant allele fraction needs ALK status 'mutated'"));
            }
            return broken;
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrialEnrolment(
            @NotNull Boolean enrolled,
            @Pattern(regexp = TRIAL_ID, message = "must be an NCT, EudraCT or CTIS number") String registryId)
            implements CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            if (Boolean.TRUE.equals(enrolled) && registryId == null) {
                return List.of(new Broken("registryId", "required-when-enrolled", "name the trial by its NCT, EudraCT or CTIS number"));
            }
            if (Boolean.FALSE.equals(enrolled) && registryId != null) {
                return List.of(new Broken("registryId", "only-when-enrolled", "a trial number needs enrolled = true"));
            }
            return List.of();
        }
    }

    // ---------------------------------------------------------------- response assessment

    /** INRC 2017 component responses; the overall response is derived by episode-service and cannot be entered. */
    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseAssessmentRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be the site's record id of the episode") String episodeRecordId,
            @NotNull @PastOrPresent LocalDate assessmentDate,
            @Pattern(regexp = SHORT_LABEL, message = LABEL_MESSAGE) String timepointLabel,
            List<@NotNull AssessmentMethod> methods,
            @NotNull ComponentResponse primaryResponse,
            @NotNull ComponentResponse metastaticResponse,
            @NotNull MarrowResponse boneMarrowResponse,
            @Min(0) @Max(30) Integer curieScore,
            @Min(0) @Max(72) Integer siopenScore,
            @DecimalMin("0.0") @DecimalMax("100.0") Double boneMarrowInfiltrationPercent) implements SiteRecord, CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            distinct("methods", methods, broken);
            if (primaryResponse == ComponentResponse.NI && metastaticResponse == ComponentResponse.NI
                    && boneMarrowResponse == MarrowResponse.NI) {
                broken.add(new Broken("primaryResponse", "some-component-involved",
                        "every component is 'NI' (not involved): at least one must have been involved at baseline"));
            }
            Double pct = boneMarrowInfiltrationPercent;
            if (pct != null && boneMarrowResponse != null) {
                boolean fits = switch (boneMarrowResponse) {
                    case CR, NI -> pct == 0.0;
                    case MD -> pct > 0.0 && pct <= 5.0;
                    case SD, PD -> pct > 0.0;
                    case NE -> false;
                };
                if (!fits) {
                    broken.add(new Broken("boneMarrowInfiltrationPercent", "marrow-response-matches-infiltration",
                            "bone-marrow response " + boneMarrowResponse + " does not fit " + pct + "% infiltration"
                                    + " (CR and NI: 0%; MD: more than 0 and at most 5%; NE: no value)"));
                }
            }
            return broken;
        }
    }

    // ---------------------------------------------------------------- disease course

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowUpRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotNull @PastOrPresent LocalDate date,
            @NotNull VitalStatus vitalStatus,
            CauseOfDeath causeOfDeath) implements SiteRecord, CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            return causeOfDeath != null && vitalStatus != VitalStatus.dead
                    ? List.of(new Broken("causeOfDeath", "only-when-dead", "a cause of death needs vital status 'dead'"))
                    : List.of();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SecondMalignancyRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotNull @PastOrPresent LocalDate diagnosisDate,
            @Pattern(regexp = SHORT_LABEL, message = LABEL_MESSAGE) String diagnosis) implements SiteRecord {
    }

    // ---------------------------------------------------------------- treatment

    /** One line of treatment for an episode, made of components by category with coded agents. */
    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TreatmentRecord(
            @NotBlank @Pattern(regexp = RECORD_ID, message = RECORD_ID_MESSAGE) String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = PSEUDONYM_MESSAGE) String patientPseudonym,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be the site's record id of the episode") String episodeRecordId,
            @NotNull @Min(1) @Max(30) Integer lineNumber,
            TreatmentIntent intent,
            @NotNull @PastOrPresent LocalDate startDate,
            @PastOrPresent LocalDate endDate,
            @Pattern(regexp = SHORT_LABEL, message = LABEL_MESSAGE) String regimenLabel,
            @Valid TrialEnrolment clinicalTrial,
            @NotEmpty @Size(max = 12) List<@Valid @NotNull TreatmentComponent> components) implements SiteRecord, CrossFieldRules.Checked {

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
                broken.add(new Broken("endDate", "end-not-before-start", "line ends " + endDate + ", before it starts " + startDate));
            }
            if (components != null) {
                for (int i = 0; i < components.size(); i++) {
                    TreatmentComponent c = components.get(i);
                    if (c == null) {
                        continue;
                    }
                    String at = "components[" + i + "].";
                    if (c.startDate() != null && startDate != null && c.startDate().isBefore(startDate)) {
                        broken.add(new Broken(at + "startDate", "within-line", "component starts " + c.startDate() + ", before the line on " + startDate));
                    }
                    if (c.endDate() != null && endDate != null && c.endDate().isAfter(endDate)) {
                        broken.add(new Broken(at + "endDate", "within-line", "component ends " + c.endDate() + ", after the line on " + endDate));
                    }
                }
            }
            return broken;
        }
    }

    @CrossFieldRules
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TreatmentComponent(
            @NotNull TreatmentCategory category,
            @Size(max = 10) List<@NotNull @Pattern(regexp = AGENT_CODE, message = "must be an agent code of GET /v1/vocabulary/agents") String> agents,
            @PastOrPresent LocalDate startDate,
            @PastOrPresent LocalDate endDate,
            @Min(1) @Max(99) Integer cycles,
            Boolean completed,
            NotCompletedReason notCompletedReason,
            SurgeryExtent surgeryExtent,
            @Valid Radiotherapy radiotherapy,
            StemCellRescue stemCellRescue) implements CrossFieldRules.Checked {

        /** Systemic categories name what was given; local treatments give no drugs. */
        private static final Set<TreatmentCategory> SYSTEMIC = EnumSet.of(TreatmentCategory.chemotherapy, TreatmentCategory.immunotherapy,
                TreatmentCategory.consolidation, TreatmentCategory.maintenance, TreatmentCategory.targeted);

        @Override
        public List<Broken> brokenRules() {
            List<Broken> broken = new ArrayList<>();
            List<String> given = agents == null ? List.of() : agents;
            distinct("agents", given, broken);
            for (int i = 0; i < given.size(); i++) {
                String code = given.get(i);
                if (code != null && code.matches(AGENT_CODE) && !AgentVocabulary.isKnown(code)) {
                    broken.add(new Broken("agents[" + i + "]", "known-agent",
                            "'" + code + "' is not in the agent vocabulary (GET /v1/vocabulary/agents); use 'investigational' for an agent not listed"));
                }
            }
            if (SYSTEMIC.contains(category) && given.isEmpty()) {
                broken.add(new Broken("agents", "agents-required", category + " names its agents"));
            }
            if ((category == TreatmentCategory.local_surgery || category == TreatmentCategory.local_radiotherapy) && !given.isEmpty()) {
                broken.add(new Broken("agents", "no-agents-for-local-treatment", category + " gives no agents"));
            }
            if ((category == TreatmentCategory.local_surgery) != (surgeryExtent != null)) {
                broken.add(new Broken("surgeryExtent", "surgery-extent", "surgery gives its extent; no other category has one"));
            }
            if ((category == TreatmentCategory.local_radiotherapy) != (radiotherapy != null)) {
                broken.add(new Broken("radiotherapy", "radiotherapy-dose", "radiotherapy gives its dose and fractions; no other category has them"));
            }
            if (stemCellRescue != null && category != TreatmentCategory.consolidation) {
                broken.add(new Broken("stemCellRescue", "only-for-consolidation", "stem-cell rescue belongs to consolidation"));
            }
            if (notCompletedReason != null && !Boolean.FALSE.equals(completed)) {
                broken.add(new Broken("notCompletedReason", "only-when-not-completed", "a reason for not completing needs completed = false"));
            }
            if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
                broken.add(new Broken("endDate", "end-not-before-start", "component ends " + endDate + ", before it starts " + startDate));
            }
            return broken;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Radiotherapy(
            @NotNull @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("80.0") Double totalDoseGy,
            @NotNull @Min(1) @Max(60) Integer fractions,
            RadiotherapyModality modality,
            RadiotherapyTarget target) {
    }

    private static void distinct(String field, Collection<?> values, List<Broken> broken) {
        if (values != null && new HashSet<>(values).size() < values.size()) {
            broken.add(new Broken(field, "no-duplicates", "a value is listed twice"));
        }
    }
}
