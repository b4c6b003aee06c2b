package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.rest.SiteCodes.ComponentResponse;
import org.nbregistry.intake.rest.SiteCodes.EpisodeType;
import org.nbregistry.intake.rest.SiteCodes.MarrowResponse;
import org.nbregistry.intake.rest.SiteRecords.Alk;
import org.nbregistry.intake.rest.SiteRecords.Biopsy;
import org.nbregistry.intake.rest.SiteRecords.EpisodeRecord;
import org.nbregistry.intake.rest.SiteRecords.Mibg;
import org.nbregistry.intake.rest.SiteRecords.MolecularProfiling;
import org.nbregistry.intake.rest.SiteRecords.ResponseAssessmentRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.support.vocabulary.ClinicalCodes.AlkStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.AssessmentMethod;
import org.nbregistry.support.vocabulary.ClinicalCodes.DiseaseExtent;
import org.nbregistry.support.vocabulary.ClinicalCodes.LymphNodeInvolvement;
import org.nbregistry.support.vocabulary.ClinicalCodes.MetastaticSite;
import org.nbregistry.support.vocabulary.ClinicalCodes.MibgAvidity;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.ProfilingMethod;
import org.nbregistry.support.vocabulary.ClinicalCodes.SegmentalAberration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.nbregistry.intake.fhir.BundleReader.*;
import static org.nbregistry.intake.fhir.FhirTerms.*;

/**
 * Episodes and what is found at them: the disease-status Observation is the episode (with extent, lymph nodes and
 * trial enrolment); its metastases (SecondaryCancerCondition), biopsy (Procedure), MYCN/ALK results, MIBG,
 * molecular profiling and segmental aberrations name it; and the INRC response assessments of it. MYCN at
 * diagnosis, which names the primary cancer, goes to the patient.
 */
final class EpisodeMapper {

    private final BundleReader in;
    private final PatientMapper patients;
    private final TrialEnrolments trials;
    private final Map<Observation, EpisodeFacts> episodes = new LinkedHashMap<>();
    private final List<Mapped> responses = new ArrayList<>();

    EpisodeMapper(BundleReader in, PatientMapper patients, TrialEnrolments trials) {
        this.in = in;
        this.patients = patients;
        this.trials = trials;
    }

    static boolean isDiseaseStatus(Observation o) {
        return coded(o.getCode(), LOINC, LOINC_DISEASE_STATUS);
    }

    /** A metastasis: mCODE SecondaryCancerCondition, SNOMED CT 128462008. */
    static boolean isMetastasis(Condition c) {
        return coded(c.getCode(), SCT, SCT_SECONDARY_MALIGNANCY);
    }

    static boolean isBiopsy(Procedure p) {
        return coded(p.getCode(), SCT, SCT_BIOPSY);
    }

    void diseaseStatus(Observation o) {
        episodes.put(o, new EpisodeFacts(o, in.patient(o, o.getSubject())));
    }

    private final class EpisodeFacts {
        final Observation observation;
        final Patient patient;
        final String at;
        final List<MetastaticSite> sites = new ArrayList<>();
        String otherSite;
        Biopsy biopsy;
        MycnStatus mycn;
        Alk alk;
        Mibg mibg;
        MolecularProfiling profiling;
        List<SegmentalAberration> aberrations;
        /** The kinds of episode finding given, each once. */
        final Set<String> findings = new HashSet<>();

        EpisodeFacts(Observation o, Patient patient) {
            observation = o;
            this.patient = patient;
            at = in.at(o);
        }

        Mapped record() {
            if (!coded(observation.getValue() instanceof CodeableConcept cc ? cc : null, SCT, SCT_WORSENED)) {
                in.issue(IssueType.CODEINVALID, at + ".valueCodeableConcept", "worsened",
                        "an episode is a worsened disease status (SNOMED CT " + SCT_WORSENED + ")");
            }
            EpisodeType type = null;
            Extension extension = observation.getExtensionByUrl(EXT_EPISODE_TYPE);
            if (extension == null || !(extension.getValue() instanceof CodeableConcept cc)) {
                in.issue(IssueType.REQUIRED, extensionAt(at, EXT_EPISODE_TYPE), "episode-type",
                        "give the episode type as an NCIt code: C38014 refractory, C38155 relapse, C17747 progression");
            } else {
                type = lookup(EPISODE_TYPES, code(cc, NCIT));
                if (type == null) {
                    in.issue(IssueType.CODEINVALID, extensionAt(at, EXT_EPISODE_TYPE) + ".valueCodeableConcept", "known-code",
                            "episode type must be NCIt C38014 (refractory), C38155 (relapse) or C17747 (progression)");
                }
            }
            DiseaseExtent extent = in.codeExtension(observation.getExtension(), at, EXT_DISEASE_EXTENT, DiseaseExtent.class, "disease extent");
            LymphNodeInvolvement nodes = in.codeExtension(observation.getExtension(), at, EXT_LYMPH_NODES, LymphNodeInvolvement.class, "lymph-node involvement");
            return new Mapped(RecordKind.EPISODE, new EpisodeRecord(observation.getIdPart(), in.pseudonymOf(patient), type,
                    in.effectiveDate(observation), extent, sites.isEmpty() ? null : List.copyOf(sites), otherSite, nodes, mibg, biopsy,
                    profiling, mycn, alk, aberrations, trials.of(observation)), at);
        }

        /** Whether this is the first finding of its kind; a second is an issue at where. */
        boolean first(String kind, String where) {
            if (!findings.add(kind)) {
                in.issue(IssueType.DUPLICATE, where, "once-per-episode", "the episode " + observation.getIdPart() + " already has its " + kind);
                return false;
            }
            return true;
        }
    }

    /** The episode a reference names: a disease-status Observation of the bundle; null (with an issue) otherwise. */
    private EpisodeFacts episode(Reference reference, String where) {
        Observation status = in.resolve(reference, Observation.class, where);
        EpisodeFacts episode = status == null ? null : episodes.get(status);
        if (status != null && episode == null) {
            in.issue(IssueType.INVALID, where, "episode", "name an episode: a disease-status Observation (LOINC " + LOINC_DISEASE_STATUS + ")");
        }
        return episode;
    }

    /** The episode named as the only element of a list of references (focus, evidence.detail, reasonReference). */
    private EpisodeFacts onlyEpisode(List<Reference> references, String where, String element) {
        if (references.size() != 1) {
            in.issue(IssueType.REQUIRED, where, "episode", "name the episode's disease-status Observation as the only " + element);
            return null;
        }
        return episode(references.get(0), where + "[0]");
    }

    // ---------------------------------------------------------------- observations

    /** Every Observation that is neither a disease status nor a stage. */
    void observation(Observation o) {
        String at = in.at(o);
        Patient patient = in.patient(o, o.getSubject());
        CodeableConcept code = o.getCode();
        if (anyCoded(code, LOINC, LOINC_MYCN) || coded(code, LOINC, LOINC_GENETIC_VARIANT)) {
            molecular(o, at, patient);
        } else if (coded(code, CS_INRC, INRC_ASSESSMENT)) {
            responses.add(response(o, at, patient));
        } else if (coded(code, CS_EPISODE_FINDING, FINDING_MIBG) || coded(code, CS_EPISODE_FINDING, FINDING_PROFILING)
                || coded(code, CS_EPISODE_FINDING, FINDING_SEGMENTAL)) {
            finding(o, at);
        } else {
            in.issue(IssueType.CODEINVALID, at + ".code", "known-code", "the Observation is none the registry maps: disease status (LOINC 97509-4), "
                    + "INRGSS/INSS stage, MYCN (LOINC 93796-1, 93797-9, 93798-7), ALK variant (LOINC 69548-6 with gene HGNC:427), INRC assessment, "
                    + "or an episode finding of " + CS_EPISODE_FINDING + " (mibg, molecular-profiling, segmental-aberrations)");
        }
    }

    /** A MYCN or ALK result: at diagnosis when its focus is the primary cancer, of an episode when it is that episode's status. */
    private void molecular(Observation o, String at, Patient patient) {
        if (o.getFocus().size() != 1) {
            in.issue(IssueType.REQUIRED, at + ".focus", "focus", "name the primary cancer Condition (at diagnosis) or the episode's disease-status Observation as the only focus");
            return;
        }
        Resource focus = in.resolve(o.getFocus().get(0), Resource.class, at + ".focus[0]");
        boolean mycnTest = anyCoded(o.getCode(), LOINC, LOINC_MYCN);
        MycnStatus mycn = mycnTest ? in.coding(o.getValue(), CS_MYCN, MycnStatus.class, at + ".valueCodeableConcept", "MYCN status") : null;
        Alk alk = mycnTest ? null : alk(o, at);
        if (focus instanceof Condition) {
            if (!mycnTest) {
                in.issue(IssueType.NOTSUPPORTED, at + ".focus[0]", "alk-of-episode", "ALK results are recorded per episode; focus the episode's disease status");
            } else {
                patients.mycnAtDiagnosis(patient, mycn);
            }
        } else if (focus instanceof Observation status && episodes.containsKey(status)) {
            EpisodeFacts episode = episodes.get(status);
            if (mycnTest) {
                episode.mycn = mycn;
            } else {
                episode.alk = alk;
            }
        } else if (focus != null) {
            in.issue(IssueType.INVALID, at + ".focus[0]", "focus", "the focus must be the primary cancer Condition or a disease-status Observation");
        }
    }

    private Alk alk(Observation o, String at) {
        ObservationComponentComponent gene = component(o, LOINC, LOINC_GENE_STUDIED);
        if (gene == null || !(gene.getValue() instanceof CodeableConcept g) || !coded(g, HGNC, HGNC_ALK)) {
            in.issue(IssueType.CODEINVALID, at + ".component", "known-code", "a genetic variant Observation must study ALK (gene-studied component, HGNC:427)");
            return null;
        }
        CodeableConcept value = o.getValue() instanceof CodeableConcept cc ? cc : null;
        String presence = code(value, LOINC);
        AlkStatus status = LOINC_PRESENT.equals(presence) ? AlkStatus.mutated
                : LOINC_ABSENT.equals(presence) ? AlkStatus.wild_type : registryCode(AlkStatus.class, code(value, CS_ALK_STATUS));
        if (status == null) {
            in.issue(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "ALK variant must be LOINC LA9633-4 (present) or LA9634-2 (absent), "
                    + "or a code of " + CS_ALK_STATUS + ": " + spelled(AlkStatus.class));
            return null;
        }
        // The protein change and allele fraction are read whatever the status: the record's rules refuse them unless mutated.
        ObservationComponentComponent change = component(o, LOINC, LOINC_AMINO_ACID_CHANGE);
        String hgvs = change != null && change.getValue() instanceof CodeableConcept cc ? (cc.hasText() ? cc.getText() : cc.getCodingFirstRep().getCode()) : null;
        return new Alk(status, hgvs, decimal(component(o, LOINC, LOINC_ALLELE_FREQUENCY)));
    }

    /** An episode finding of the registry (DOMAIN.md b): MIBG scan, molecular profiling or segmental aberrations. */
    private void finding(Observation o, String at) {
        EpisodeFacts episode = onlyEpisode(o.getFocus(), at + ".focus", "focus");
        if (coded(o.getCode(), CS_EPISODE_FINDING, FINDING_MIBG)) {
            MibgAvidity avidity = in.coding(o.getValue(), CS_MIBG_AVIDITY, MibgAvidity.class, at + ".valueCodeableConcept", "MIBG avidity");
            Mibg mibg = new Mibg(avidity, integer(component(o, CS_EPISODE_FINDING, "curie-score")),
                    integer(component(o, CS_EPISODE_FINDING, "siopen-score")));
            if (episode != null && episode.first(FINDING_MIBG, at)) {
                episode.mibg = mibg;
            }
        } else if (coded(o.getCode(), CS_EPISODE_FINDING, FINDING_PROFILING)) {
            Boolean performed = o.getValue() instanceof BooleanType b && b.hasValue() ? b.getValue() : null;
            if (performed == null) {
                in.issue(IssueType.REQUIRED, at + ".valueBoolean", "profiling-performed", "say whether molecular profiling was performed as valueBoolean");
            }
            MolecularProfiling profiling = new MolecularProfiling(performed,
                    in.codedComponents(o, at, CS_EPISODE_FINDING, "method", CS_PROFILING_METHOD, ProfilingMethod.class, "profiling method"));
            if (episode != null && episode.first(FINDING_PROFILING, at)) {
                episode.profiling = profiling;
            }
        } else {
            List<SegmentalAberration> aberrations = in.codedComponents(o, at, CS_EPISODE_FINDING, "aberration", CS_SEGMENTAL_ABERRATION,
                    SegmentalAberration.class, "segmental aberration");
            if (aberrations == null) {
                in.issue(IssueType.REQUIRED, componentAt(at, "aberration"), "aberrations",
                        "give each aberration (or none, not_done) as a component 'aberration' of " + CS_EPISODE_FINDING);
            }
            if (episode != null && episode.first(FINDING_SEGMENTAL, at)) {
                episode.aberrations = aberrations;
            }
        }
    }

    // ---------------------------------------------------------------- metastases and biopsy

    /** A metastasis at an episode: each bodySite a metastatic site; 'other' named by bodySite.text. */
    void metastasis(Condition c) {
        String at = in.at(c);
        in.patient(c, c.getSubject());
        EpisodeFacts episode = onlyEpisode(c.getEvidence().stream().flatMap(e -> e.getDetail().stream()).toList(), at + ".evidence.detail", "evidence.detail");
        if (c.getBodySite().isEmpty()) {
            in.issue(IssueType.REQUIRED, at + ".bodySite", "metastatic-site", "give the metastatic site as bodySite");
        }
        for (int i = 0; i < c.getBodySite().size(); i++) {
            CodeableConcept site = c.getBodySite().get(i);
            String where = at + ".bodySite[" + i + "]";
            MetastaticSite found = registryCode(MetastaticSite.class, code(site, CS_METASTATIC_SITE));
            found = found != null ? found : lookup(NCIT_METASTATIC_SITES, code(site, NCIT));
            if (found == null) {
                in.issue(IssueType.CODEINVALID, where, "known-code", "give the metastatic site as a code of " + CS_METASTATIC_SITE + " ("
                        + spelled(MetastaticSite.class) + ") or its NCIt code " + NCIT_METASTATIC_SITES.keySet());
            } else if (episode != null) {
                episode.sites.add(found);
                if (found == MetastaticSite.other) {
                    episode.otherSite = site.hasText() ? site.getText() : null;
                }
            }
        }
    }

    /** A biopsy at an episode: completed (performed, on its date) or not-done (not performed). */
    void biopsy(Procedure p) {
        String at = in.at(p);
        in.patient(p, p.getSubject());
        EpisodeFacts episode = onlyEpisode(p.getReasonReference(), at + ".reasonReference", "reasonReference");
        Biopsy biopsy = switch (p.getStatus()) {
            case COMPLETED -> new Biopsy(true, in.dates(p.getPerformed(), at + ".performed").start());
            case NOTDONE -> new Biopsy(false, null);
            default -> {
                in.issue(IssueType.CODEINVALID, at + ".status", "biopsy-status", "a biopsy is completed (performed) or not-done");
                yield null;
            }
        };
        if (episode != null && biopsy != null && episode.first("biopsy", at)) {
            episode.biopsy = biopsy;
        }
    }

    // ---------------------------------------------------------------- response assessments

    private Mapped response(Observation o, String at, Patient patient) {
        if (o.hasValue()) {
            in.issue(IssueType.INVALID, at + ".value[x]", "overall-response-derived", "the overall INRC response is derived from the components, never sent");
        }
        EpisodeFacts episode = onlyEpisode(o.getFocus(), at + ".focus", "focus");
        ComponentResponse primary = componentResponse(o, at, "primary", ComponentResponse.class);
        ComponentResponse metastatic = componentResponse(o, at, "metastatic", ComponentResponse.class);
        MarrowResponse marrow = componentResponse(o, at, "bone-marrow", MarrowResponse.class);
        ObservationComponentComponent timepoint = component(o, CS_INRC, "timepoint");
        String label = timepoint != null && timepoint.getValue() instanceof StringType s ? s.getValue() : null;
        if (timepoint != null && label == null) {
            in.issue(IssueType.VALUE, componentAt(at, "timepoint"), "string", "give the timepoint label as valueString");
        }
        List<AssessmentMethod> methods = in.codedComponents(o, at, CS_INRC, "method", CS_ASSESSMENT_METHOD, AssessmentMethod.class, "assessment method");
        return new Mapped(RecordKind.RESPONSE_ASSESSMENT, new ResponseAssessmentRecord(o.getIdPart(), in.pseudonymOf(patient),
                episode == null ? null : episode.observation.getIdPart(), in.effectiveDate(o), label, methods, primary, metastatic, marrow,
                integer(component(o, CS_INRC, "curie-score")), integer(component(o, CS_INRC, "siopen-score")),
                decimal(component(o, CS_INRC, "bone-marrow-infiltration"))), at);
    }

    /** The response of one INRC component, a code of CodeSystem/inrc; null (with an issue) when missing or unknown. */
    private <E extends Enum<E>> E componentResponse(Observation o, String at, String component, Class<E> list) {
        ObservationComponentComponent c = component(o, CS_INRC, component);
        return in.coding(c == null ? null : c.getValue(), CS_INRC, list, componentAt(at, component), component + " response");
    }

    private static Double decimal(ObservationComponentComponent c) {
        return c != null && c.getValue() instanceof Quantity q && q.hasValue() ? q.getValue().doubleValue() : null;
    }

    void emit(List<Mapped> out) {
        episodes.values().forEach(e -> out.add(e.record()));
    }

    void emitResponses(List<Mapped> out) {
        out.addAll(responses);
    }
}
