package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Type;
import org.nbregistry.intake.rest.SiteCodes.ComponentResponse;
import org.nbregistry.intake.rest.SiteCodes.EpisodeType;
import org.nbregistry.intake.rest.SiteCodes.MarrowResponse;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyModality;
import org.nbregistry.intake.rest.SiteCodes.StemCellRescue;
import org.nbregistry.intake.rest.SiteCodes.SurgeryExtent;
import org.nbregistry.intake.rest.SiteCodes.TreatmentCategory;
import org.nbregistry.intake.rest.SiteCodes.VitalStatus;
import org.nbregistry.intake.rest.SiteRecords.Alk;
import org.nbregistry.intake.rest.SiteRecords.EpisodeRecord;
import org.nbregistry.intake.rest.SiteRecords.FollowUpRecord;
import org.nbregistry.intake.rest.SiteRecords.PatientRecord;
import org.nbregistry.intake.rest.SiteRecords.Radiotherapy;
import org.nbregistry.intake.rest.SiteRecords.ResponseAssessmentRecord;
import org.nbregistry.intake.rest.SiteRecords.SiteRecord;
import org.nbregistry.intake.rest.SiteRecords.TreatmentComponent;
import org.nbregistry.intake.rest.SiteRecords.TreatmentRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.intake.submission.SubmissionService.RecordRef;
import org.nbregistry.support.vocabulary.ClinicalCodes.AlkStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.InssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.nbregistry.intake.fhir.FhirTerms.*;

/**
 * Translates one bundle into the site records of the JSON routes (api-specs/fhir/MAPPING.md), collecting every
 * issue rather than stopping at the first. Identifying elements are refused, never dropped in silence, so a site
 * learns that its export carries them. The records it makes are then checked by the same rules as JSON records.
 */
final class BundleMapper {

    /** One site record and the resource it mostly comes from, where its rule violations are reported. */
    record Mapped(RecordKind kind, SiteRecord record, String expression) {
    }

    record Result(List<Mapped> records, List<RecordRef> withdrawals) {
    }

    private static final Set<String> MAPPED_TYPES = Set.of("Patient", "Condition", "Observation", "MedicationAdministration",
            "MedicationRequest", "Procedure", "CarePlan", "Encounter");

    private final String site;
    private final Issues issues;
    private BundleIndex index;

    BundleMapper(String site, Issues issues) {
        this.site = site;
        this.issues = issues;
    }

    Result map(Bundle bundle) {
        index = new BundleIndex(bundle);
        if (bundle.getType() != BundleType.TRANSACTION && bundle.getType() != BundleType.COLLECTION) {
            issues.add(IssueType.VALUE, "Bundle.type", "bundle-type", "must be transaction or collection");
        }
        List<RecordRef> withdrawals = entries(bundle);
        for (Resource resource : index.resources()) {
            checkResource(resource);
        }
        Map<Patient, PatientFacts> patients = new LinkedHashMap<>();
        for (Resource r : index.resources()) {
            if (r instanceof Patient p) {
                patients.put(p, new PatientFacts(p));
            }
        }
        List<Mapped> records = new ArrayList<>();
        Map<Observation, EpisodeFacts> episodes = new LinkedHashMap<>();
        Map<CarePlan, LineFacts> lines = new LinkedHashMap<>();
        // Episodes and lines first: the resources that point at them may come before them in the bundle.
        for (Resource r : index.resources()) {
            if (r instanceof Condition c) {
                condition(c, patients);
            } else if (r instanceof Observation o && coded(o.getCode(), LOINC, LOINC_DISEASE_STATUS)) {
                episodes.put(o, new EpisodeFacts(o, patient(o, o.getSubject())));
            } else if (r instanceof CarePlan c) {
                lines.put(c, new LineFacts(c, patient(c, c.getSubject())));
            }
        }
        for (Resource r : index.resources()) {
            if (r instanceof Observation o && !coded(o.getCode(), LOINC, LOINC_DISEASE_STATUS)) {
                observation(o, patients, episodes, records);
            } else if (r instanceof MedicationAdministration m) {
                medication(m, m.getMedication(), m.getEffective(), m.getSubject(), lines);
            } else if (r instanceof MedicationRequest m) {
                medication(m, m.getMedication(), null, m.getSubject(), lines);
            } else if (r instanceof Procedure p) {
                procedure(p, lines);
            } else if (r instanceof Encounter e) {
                encounter(e, records);
            }
        }
        List<Mapped> result = new ArrayList<>();
        patients.values().forEach(p -> p.emit(result));
        episodes.values().forEach(e -> e.emit(result));
        records.stream().filter(m -> m.kind() == RecordKind.RESPONSE_ASSESSMENT).forEach(result::add);
        lines.values().forEach(l -> l.emit(result));
        records.stream().filter(m -> m.kind() == RecordKind.FOLLOW_UP).forEach(result::add);
        patients.values().forEach(p -> p.emitDeath(result));
        return new Result(result, withdrawals);
    }

    // ---------------------------------------------------------------- bundle and resources

    private List<RecordRef> entries(Bundle bundle) {
        List<RecordRef> withdrawals = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            String at = "Bundle.entry[" + i + "]";
            HTTPVerb method = entry.hasRequest() ? entry.getRequest().getMethod() : null;
            if (bundle.getType() == BundleType.TRANSACTION && method == null) {
                issues.add(IssueType.REQUIRED, at + ".request", "request-required", "a transaction entry needs request.method and request.url");
                continue;
            }
            if (method == HTTPVerb.DELETE) {
                withdrawals.addAll(withdrawal(entry, at));
                continue;
            }
            if (method != null && method != HTTPVerb.POST && method != HTTPVerb.PUT) {
                issues.add(IssueType.NOTSUPPORTED, at + ".request.method", "request-method", "must be POST, PUT or DELETE");
            }
            if (entry.getResource() == null) {
                issues.add(IssueType.REQUIRED, at + ".resource", "resource-required", "the entry carries no resource");
            } else if (method == HTTPVerb.PUT && !entry.getRequest().getUrl().equals(entry.getResource().fhirType() + "/" + entry.getResource().getIdPart())) {
                issues.add(IssueType.VALUE, at + ".request.url", "put-url", "a PUT names its resource: "
                        + entry.getResource().fhirType() + "/" + entry.getResource().getIdPart());
            }
        }
        return withdrawals;
    }

    /** DELETE Type/id withdraws the records that resource type becomes, under that id. */
    private List<RecordRef> withdrawal(BundleEntryComponent entry, String at) {
        String url = entry.getRequest().getUrl();
        String[] parts = url == null ? new String[0] : url.split("/");
        List<RecordKind> kinds = parts.length != 2 ? List.of() : switch (parts[0]) {
            case "Patient" -> List.of(RecordKind.PATIENT);
            case "Observation" -> List.of(RecordKind.EPISODE, RecordKind.RESPONSE_ASSESSMENT);
            case "CarePlan" -> List.of(RecordKind.TREATMENT);
            case "Encounter" -> List.of(RecordKind.FOLLOW_UP);
            default -> List.of();
        };
        if (kinds.isEmpty()) {
            issues.add(IssueType.NOTSUPPORTED, at + ".request.url", "delete-target",
                    "DELETE withdraws a Patient, a disease-status or INRC Observation, a CarePlan (treatment line) or an Encounter (follow-up) by Type/id;"
                            + " to change another resource, send its record's resources again");
            return List.of();
        }
        if (entry.getResource() != null) {
            issues.add(IssueType.INVALID, at + ".resource", "delete-without-resource", "a DELETE entry carries no resource");
        }
        return kinds.stream().map(kind -> new RecordRef(kind, parts[1])).toList();
    }

    /** What every resource must satisfy: a mapped type, an id, accepted profiles, and no narrative. */
    private void checkResource(Resource resource) {
        String at = index.at(resource);
        if (!MAPPED_TYPES.contains(resource.fhirType())) {
            issues.add(IssueType.NOTSUPPORTED, at, "resource-type", resource.fhirType() + " is not mapped to registry records; see api-specs/fhir/MAPPING.md");
            return;
        }
        if (resource.getIdPart() == null) {
            issues.add(IssueType.REQUIRED, at + ".id", "id-required", "the resource id is the registry record id; give one");
        }
        List<CanonicalType> profiles = resource.getMeta().getProfile();
        for (int i = 0; i < profiles.size(); i++) {
            if (!PROFILES.get(resource.fhirType()).contains(profiles.get(i).getValue())) {
                issues.add(IssueType.VALUE, at + ".meta.profile[" + i + "]", "profile",
                        "profile " + profiles.get(i).getValue() + " is not one the registry accepts for " + resource.fhirType()
                                + " (accepted: " + PROFILES.get(resource.fhirType()) + ")");
            }
        }
        if (resource instanceof DomainResource d && d.hasText()) {
            refuse(at + ".text", "narrative may carry identifying data; send coded elements only");
        }
    }

    private void refuse(String expression, String why) {
        issues.add(IssueType.SECURITY, expression, "no-identifying-data", why);
    }

    private Patient patient(Resource from, Reference subject) {
        return index.resolve(subject, Patient.class, index.at(from) + ".subject", issues);
    }

    // ---------------------------------------------------------------- patient and diagnosis

    private final class PatientFacts {
        final Patient patient;
        final String at;
        final String pseudonym;
        String diagnosisAt;
        LocalDate diagnosisDate;
        InrgssStage inrgss;
        InssStage inss;
        MycnStatus mycn;

        PatientFacts(Patient p) {
            patient = p;
            at = index.at(p);
            for (String element : List.of("name", "telecom", "address", "photo", "contact", "communication", "generalPractitioner", "link")) {
                if (p.getNamedProperty(element).hasValues()) {
                    refuse(at + "." + element, "Patient." + element + " identifies the patient; the registry takes the pseudonym only");
                }
            }
            if (p.hasMultipleBirthIntegerType() || p.hasMultipleBirthBooleanType()) {
                refuse(at + ".multipleBirth", "Patient.multipleBirth helps identify the patient");
            }
            String found = null;
            for (int i = 0; i < p.getIdentifier().size(); i++) {
                Identifier identifier = p.getIdentifier().get(i);
                String where = at + ".identifier[" + i + "]";
                if (identifier.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()))) {
                    refuse(where, "a medical record number identifies the patient; send the registry pseudonym only");
                } else if (!pseudonymSystem(site).equals(identifier.getSystem())) {
                    refuse(where, "only the pseudonym identifier (system " + pseudonymSystem(site) + ") is accepted; "
                            + identifier.getSystem() + " may identify the patient or name another site");
                } else if (found != null) {
                    issues.add(IssueType.INVALID, where, "one-pseudonym", "the patient has one pseudonym");
                } else {
                    found = identifier.getValue();
                }
            }
            if (found == null && p.getIdentifier().isEmpty()) {
                issues.add(IssueType.REQUIRED, at + ".identifier", "pseudonym-required", "give the pseudonym as identifier with system " + pseudonymSystem(site));
            }
            pseudonym = found;
            if (p.hasDeceasedBooleanType() && p.getDeceasedBooleanType().booleanValue()) {
                issues.add(IssueType.VALUE, at + ".deceasedBoolean", "death-date", "give the date of death as deceasedDateTime");
            }
        }

        Sex sex() {
            if (!patient.hasGender()) {
                issues.add(IssueType.REQUIRED, at + ".gender", "sex-required", "give Patient.gender (male, female or unknown)");
                return null;
            }
            return switch (patient.getGender()) {
                case MALE -> Sex.male;
                case FEMALE -> Sex.female;
                case UNKNOWN -> Sex.unknown;
                default -> {
                    issues.add(IssueType.CODEINVALID, at + ".gender", "known-code", "the registry records male, female or unknown");
                    yield null;
                }
            };
        }

        /** The birth date reduced to its month: the full date never enters. */
        String birthYearMonth() {
            if (!patient.hasBirthDate()) {
                return null;
            }
            String value = patient.getBirthDateElement().getValueAsString();
            if (value.length() < 7) {
                issues.add(IssueType.VALUE, at + ".birthDate", "birth-month", "give at least the year and month of birth");
                return null;
            }
            return value.substring(0, 7);
        }

        void emit(List<Mapped> out) {
            Sex sex = sex();
            String birth = birthYearMonth();
            if (diagnosisAt == null) {
                issues.add(IssueType.REQUIRED, at, "primary-cancer-required", "the bundle carries no primary cancer Condition of this patient");
            }
            out.add(new Mapped(RecordKind.PATIENT, new PatientRecord(patient.getIdPart(), pseudonym, sex, birth, null, diagnosisDate,
                    inrgss, inss, mycn, null), at));
        }

        void emitDeath(List<Mapped> out) {
            if (patient.hasDeceasedDateTimeType()) {
                LocalDate death = date(patient.getDeceasedDateTimeType(), at + ".deceasedDateTime");
                out.add(new Mapped(RecordKind.FOLLOW_UP, new FollowUpRecord(patient.getIdPart() + "-death", pseudonym, death, VitalStatus.dead, null),
                        at + ".deceasedDateTime"));
            }
        }
    }

    private void condition(Condition c, Map<Patient, PatientFacts> patients) {
        String at = index.at(c);
        Patient p = patient(c, c.getSubject());
        boolean neuroblastoma = coded(c.getCode(), SCT, SCT_NEUROBLASTOMA) || coded(c.getCode(), ICD_O_3, ICD_O_3_NEUROBLASTOMA);
        if (!neuroblastoma) {
            issues.add(IssueType.CODEINVALID, at + ".code", "neuroblastoma",
                    "the primary cancer must be neuroblastoma: SNOMED CT " + SCT_NEUROBLASTOMA + " or ICD-O-3 morphology " + ICD_O_3_NEUROBLASTOMA);
        }
        LocalDate onset = c.hasOnsetDateTimeType() ? date(c.getOnsetDateTimeType(), at + ".onsetDateTime") : null;
        if (!c.hasOnsetDateTimeType()) {
            issues.add(IssueType.REQUIRED, at + ".onsetDateTime", "diagnosis-date", "give the date of initial diagnosis as onsetDateTime");
        }
        PatientFacts facts = p == null ? null : patients.get(p);
        if (facts != null) {
            if (facts.diagnosisAt != null) {
                issues.add(IssueType.INVALID, at, "one-primary-cancer", "the patient already has a primary cancer Condition at " + facts.diagnosisAt);
            }
            facts.diagnosisAt = at;
            facts.diagnosisDate = onset;
        }
    }

    // ---------------------------------------------------------------- observations

    private final class EpisodeFacts {
        final Observation observation;
        final Patient patient;
        final String at;
        MycnStatus mycn;
        Alk alk;

        EpisodeFacts(Observation o, Patient patient) {
            observation = o;
            this.patient = patient;
            at = index.at(o);
        }

        void emit(List<Mapped> out) {
            if (!coded(observation.getValue() instanceof CodeableConcept cc ? cc : null, SCT, SCT_WORSENED)) {
                issues.add(IssueType.CODEINVALID, at + ".valueCodeableConcept", "worsened",
                        "an episode is a worsened disease status (SNOMED CT " + SCT_WORSENED + ")");
            }
            EpisodeType type = null;
            Extension extension = observation.getExtensionByUrl(EXT_EPISODE_TYPE);
            if (extension == null || !(extension.getValue() instanceof CodeableConcept cc)) {
                issues.add(IssueType.REQUIRED, at + ".extension('" + EXT_EPISODE_TYPE + "')", "episode-type",
                        "give the episode type as an NCIt code: C38014 refractory, C38155 relapse, C17747 progression");
            } else {
                type = EPISODE_TYPES.get(code(cc, NCIT));
                if (type == null) {
                    issues.add(IssueType.CODEINVALID, at + ".extension('" + EXT_EPISODE_TYPE + "').valueCodeableConcept", "known-code",
                            "episode type must be NCIt C38014 (refractory), C38155 (relapse) or C17747 (progression)");
                }
            }
            LocalDate date = effectiveDate(observation);
            out.add(new Mapped(RecordKind.EPISODE, new EpisodeRecord(observation.getIdPart(), pseudonymOf(patient), type, date,
                    null, null, null, null, null, null, null, mycn, alk, null, null), at));
        }
    }

    private String pseudonymOf(Patient patient) {
        return patient == null ? null : patient.getIdentifier().stream().filter(i -> pseudonymSystem(site).equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    private void observation(Observation o, Map<Patient, PatientFacts> patients, Map<Observation, EpisodeFacts> episodes, List<Mapped> out) {
        String at = index.at(o);
        Patient patient = patient(o, o.getSubject());
        CodeableConcept code = o.getCode();
        if (coded(code, NCIT, NCIT_INRGSS) || coded(code, SCT, SCT_INSS)) {
            PatientFacts facts = patient == null ? null : patients.get(patient);
            CodeableConcept value = o.getValue() instanceof CodeableConcept cc ? cc : null;
            if (coded(code, NCIT, NCIT_INRGSS)) {
                InrgssStage stage = INRGSS.get(code(value, NCIT));
                if (stage == null) {
                    issues.add(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "INRGSS stage must be NCIt C133428 (L1), C133429 (L2), C133430 (M) or C133431 (MS)");
                } else if (facts != null) {
                    facts.inrgss = stage;
                }
            } else {
                InssStage stage = inss(code(value, CS_INSS));
                if (stage == null) {
                    issues.add(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "INSS stage must be a code of " + CS_INSS + ": 1, 2A, 2B, 3, 4, 4S");
                } else if (facts != null) {
                    facts.inss = stage;
                }
            }
        } else if (anyCoded(code, LOINC, LOINC_MYCN) || coded(code, LOINC, LOINC_GENETIC_VARIANT)) {
            finding(o, at, patients, episodes, patient);
        } else if (coded(code, CS_INRC, INRC_ASSESSMENT)) {
            out.add(response(o, at, patient, episodes));
        } else {
            issues.add(IssueType.CODEINVALID, at + ".code", "known-code", "the Observation is none the registry maps: disease status (LOINC 97509-4), "
                    + "INRGSS/INSS stage, MYCN (LOINC 93797-9, 93798-7), ALK variant (LOINC 69548-6 with gene HGNC:427) or INRC assessment");
        }
    }

    /** A MYCN or ALK result: at diagnosis when its focus is the primary cancer, of an episode when it is that episode's status. */
    private void finding(Observation o, String at, Map<Patient, PatientFacts> patients, Map<Observation, EpisodeFacts> episodes, Patient patient) {
        if (o.getFocus().size() != 1) {
            issues.add(IssueType.REQUIRED, at + ".focus", "focus", "name the primary cancer Condition (at diagnosis) or the episode's disease-status Observation as the only focus");
            return;
        }
        Resource focus = index.resolve(o.getFocus().get(0), Resource.class, at + ".focus[0]", issues);
        boolean mycnTest = anyCoded(o.getCode(), LOINC, LOINC_MYCN);
        MycnStatus mycn = null;
        Alk alk = null;
        if (mycnTest) {
            mycn = o.getValue() instanceof CodeableConcept cc ? mycn(code(cc, CS_MYCN)) : null;
            if (mycn == null) {
                issues.add(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "MYCN status must be a code of " + CS_MYCN
                        + ": amplified, gain, not_amplified, heterogeneous, not_done, unknown");
            }
        } else {
            alk = alk(o, at);
        }
        if (focus instanceof Condition) {
            PatientFacts facts = patients.get(patient);
            if (!mycnTest) {
                issues.add(IssueType.NOTSUPPORTED, at + ".focus[0]", "alk-of-episode", "ALK results are recorded per episode; focus the episode's disease status");
            } else if (facts != null) {
                facts.mycn = mycn;
            }
        } else if (focus instanceof Observation status && episodes.containsKey(status)) {
            EpisodeFacts episode = episodes.get(status);
            if (mycnTest) {
                episode.mycn = mycn;
            } else {
                episode.alk = alk;
            }
        } else if (focus != null) {
            issues.add(IssueType.INVALID, at + ".focus[0]", "focus", "the focus must be the primary cancer Condition or a disease-status Observation");
        }
    }

    private Alk alk(Observation o, String at) {
        ObservationComponentComponent gene = component(o, LOINC, LOINC_GENE_STUDIED);
        if (gene == null || !(gene.getValue() instanceof CodeableConcept g) || !coded(g, HGNC, HGNC_ALK)) {
            issues.add(IssueType.CODEINVALID, at + ".component", "known-code", "a genetic variant Observation must study ALK (gene-studied component, HGNC:427)");
            return null;
        }
        String presence = o.getValue() instanceof CodeableConcept cc ? code(cc, LOINC) : null;
        if (!LOINC_PRESENT.equals(presence) && !LOINC_ABSENT.equals(presence)) {
            issues.add(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "ALK variant must be LOINC LA9633-4 (present) or LA9634-2 (absent)");
            return null;
        }
        if (LOINC_ABSENT.equals(presence)) {
            return new Alk(AlkStatus.wild_type, null, null);
        }
        ObservationComponentComponent change = component(o, LOINC, LOINC_AMINO_ACID_CHANGE);
        ObservationComponentComponent vaf = component(o, LOINC, LOINC_ALLELE_FREQUENCY);
        String hgvs = change != null && change.getValue() instanceof CodeableConcept cc ? (cc.hasText() ? cc.getText() : cc.getCodingFirstRep().getCode()) : null;
        Double fraction = vaf != null && vaf.getValue() instanceof Quantity q && q.hasValue() ? q.getValue().doubleValue() : null;
        return new Alk(AlkStatus.mutated, hgvs, fraction);
    }

    private Mapped response(Observation o, String at, Patient patient, Map<Observation, EpisodeFacts> episodes) {
        if (o.hasValue()) {
            issues.add(IssueType.INVALID, at + ".value[x]", "overall-response-derived", "the overall INRC response is derived from the components, never sent");
        }
        Observation status = o.getFocus().size() == 1 ? index.resolve(o.getFocus().get(0), Observation.class, at + ".focus[0]", issues) : null;
        if (o.getFocus().size() != 1) {
            issues.add(IssueType.REQUIRED, at + ".focus", "focus", "name the episode's disease-status Observation as the only focus");
        } else if (status != null && !episodes.containsKey(status)) {
            issues.add(IssueType.INVALID, at + ".focus[0]", "focus", "the focus must be a disease-status Observation (an episode)");
        }
        ComponentResponse primary = componentResponse(componentCode(o, at, "primary"));
        ComponentResponse metastatic = componentResponse(componentCode(o, at, "metastatic"));
        MarrowResponse marrow = marrowResponse(componentCode(o, at, "bone-marrow"));
        Integer curie = integer(component(o, CS_INRC, "curie-score"));
        Integer siopen = integer(component(o, CS_INRC, "siopen-score"));
        ObservationComponentComponent pct = component(o, CS_INRC, "bone-marrow-infiltration");
        Double infiltration = pct != null && pct.getValue() instanceof Quantity q && q.hasValue() ? q.getValue().doubleValue() : null;
        return new Mapped(RecordKind.RESPONSE_ASSESSMENT, new ResponseAssessmentRecord(o.getIdPart(), pseudonymOf(patient),
                status == null ? null : status.getIdPart(), effectiveDate(o), null, null, primary, metastatic, marrow, curie, siopen, infiltration), at);
    }

    /** The response code of one INRC component; null (with an issue) when missing or not an INRC response. */
    private String componentCode(Observation o, String at, String component) {
        ObservationComponentComponent c = component(o, CS_INRC, component);
        String code = c != null && c.getValue() instanceof CodeableConcept cc ? code(cc, CS_INRC) : null;
        boolean known = code != null && (component.equals("bone-marrow") ? marrowResponse(code) != null : componentResponse(code) != null);
        if (!known) {
            issues.add(IssueType.CODEINVALID, at + ".component.where(code.coding.code='" + component + "')", "known-code",
                    "give the " + component + " response as a code of " + CS_INRC + (component.equals("bone-marrow") ? ": CR, MD, SD, PD, NI, NE" : ": CR, PR, SD, PD, NI, NE"));
        }
        return known ? code : null;
    }

    private static Integer integer(ObservationComponentComponent c) {
        return c != null && c.getValue() instanceof IntegerType i ? i.getValue() : null;
    }

    private static ObservationComponentComponent component(Observation o, String system, String code) {
        return o.getComponent().stream().filter(c -> coded(c.getCode(), system, code)).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- treatment

    /** One treatment line (a CarePlan) and the components its medications and procedures make. */
    private final class LineFacts {
        final CarePlan plan;
        final Patient patient;
        final String at;
        /** Components by category and period, in the order their first resource came. */
        final Map<List<Object>, ComponentFacts> components = new LinkedHashMap<>();
        int stemCellRescues;
        String rescueAt;

        LineFacts(CarePlan plan, Patient patient) {
            this.plan = plan;
            this.patient = patient;
            this.at = index.at(plan);
        }

        void emit(List<Mapped> out) {
            Observation status = plan.getSupportingInfo().size() == 1
                    ? index.resolve(plan.getSupportingInfo().get(0), Observation.class, at + ".supportingInfo[0]", issues) : null;
            if (plan.getSupportingInfo().size() != 1) {
                issues.add(IssueType.REQUIRED, at + ".supportingInfo", "episode", "name the episode's disease-status Observation as the only supportingInfo");
            }
            Extension number = plan.getExtensionByUrl(EXT_LINE_NUMBER);
            Integer lineNumber = number != null && number.getValue() instanceof PositiveIntType n ? n.getValue() : null;
            if (lineNumber == null) {
                issues.add(IssueType.REQUIRED, at + ".extension('" + EXT_LINE_NUMBER + "')", "line-number", "give the line number as valuePositiveInt");
            }
            Period period = plan.getPeriod();
            LocalDate start = period.hasStartElement() ? date(period.getStartElement(), at + ".period.start") : null;
            LocalDate end = period.hasEndElement() ? date(period.getEndElement(), at + ".period.end") : null;
            List<ComponentFacts> parts = new ArrayList<>(components.values());
            if (stemCellRescues > 0) {
                List<ComponentFacts> consolidation = parts.stream().filter(c -> c.category == TreatmentCategory.consolidation).toList();
                if (consolidation.size() != 1 || stemCellRescues > 2) {
                    issues.add(IssueType.INVALID, rescueAt, "stem-cell-rescue",
                            "an autologous stem-cell rescue belongs to the line's one consolidation (its conditioning medications), once or twice (tandem)");
                } else {
                    consolidation.get(0).rescue = stemCellRescues == 1 ? StemCellRescue.single : StemCellRescue.tandem;
                }
            }
            out.add(new Mapped(RecordKind.TREATMENT, new TreatmentRecord(plan.getIdPart(), pseudonymOf(patient), status == null ? null : status.getIdPart(),
                    lineNumber, null, start, end, plan.hasTitle() ? plan.getTitle() : null, null,
                    parts.stream().map(ComponentFacts::toComponent).toList()), at));
        }
    }

    private static final class ComponentFacts {
        final TreatmentCategory category;
        final LocalDate start;
        final LocalDate end;
        final List<String> agents = new ArrayList<>();
        SurgeryExtent surgeryExtent;
        Radiotherapy radiotherapy;
        StemCellRescue rescue;

        ComponentFacts(TreatmentCategory category, LocalDate start, LocalDate end) {
            this.category = category;
            this.start = start;
            this.end = end;
        }

        TreatmentComponent toComponent() {
            return new TreatmentComponent(category, agents.isEmpty() ? null : List.copyOf(agents), start, end, null, null, null,
                    surgeryExtent, radiotherapy, rescue);
        }
    }

    private LineFacts line(DomainResource r, String at, Map<CarePlan, LineFacts> lines) {
        Extension extension = r.getExtensionByUrl(EXT_TREATMENT_LINE);
        if (extension == null || !(extension.getValue() instanceof Reference reference)) {
            issues.add(IssueType.REQUIRED, at + ".extension('" + EXT_TREATMENT_LINE + "')", "treatment-line",
                    "name the treatment line (a CarePlan of this bundle) with a valueReference");
            return null;
        }
        CarePlan plan = index.resolve(reference, CarePlan.class, at + ".extension('" + EXT_TREATMENT_LINE + "').valueReference", issues);
        return plan == null ? null : lines.get(plan);
    }

    private void medication(DomainResource m, Type medication, Type effective, Reference subject, Map<CarePlan, LineFacts> lines) {
        String at = index.at(m);
        patient(m, subject);
        LineFacts line = line(m, at, lines);
        Extension extension = m.getExtensionByUrl(EXT_TREATMENT_CATEGORY);
        TreatmentCategory category = extension != null && extension.getValue() instanceof CodeType c ? category(c.getValue()) : null;
        if (category == null || category == TreatmentCategory.local_surgery || category == TreatmentCategory.local_radiotherapy) {
            issues.add(IssueType.CODEINVALID, at + ".extension('" + EXT_TREATMENT_CATEGORY + "')", "known-code",
                    "give the treatment category as valueCode: chemotherapy, immunotherapy, consolidation, maintenance, targeted or other");
            category = null;
        }
        String agent = null;
        for (Coding coding : medication instanceof CodeableConcept cc ? cc.getCoding() : List.<Coding>of()) {
            agent = agent == null ? agent(coding.getSystem(), coding.getCode()) : agent;
        }
        if (agent == null) {
            issues.add(IssueType.CODEINVALID, at + ".medicationCodeableConcept", "known-agent",
                    "the medication must be coded as an agent of the vocabulary (GET /v1/vocabulary/agents): by RxNorm, NCIt or " + CS_AGENT);
        }
        LocalDate start = null;
        LocalDate end = null;
        if (effective instanceof Period p) {
            start = p.hasStartElement() ? date(p.getStartElement(), at + ".effectivePeriod.start") : null;
            end = p.hasEndElement() ? date(p.getEndElement(), at + ".effectivePeriod.end") : null;
        } else if (effective instanceof DateTimeType d) {
            start = date(d, at + ".effectiveDateTime");
            end = start;
        }
        if (line != null && category != null && agent != null) {
            // Medications of one category given over the same period are one component, agents in bundle order.
            TreatmentCategory c = category;
            LocalDate from = start;
            LocalDate to = end;
            line.components.computeIfAbsent(List.of(c, Objects.toString(from), Objects.toString(to)), k -> new ComponentFacts(c, from, to))
                    .agents.add(agent);
        }
    }

    private void procedure(Procedure p, Map<CarePlan, LineFacts> lines) {
        String at = index.at(p);
        patient(p, p.getSubject());
        LineFacts line = line(p, at, lines);
        LocalDate start = null;
        LocalDate end = null;
        if (p.getPerformed() instanceof Period period) {
            start = period.hasStartElement() ? date(period.getStartElement(), at + ".performedPeriod.start") : null;
            end = period.hasEndElement() ? date(period.getEndElement(), at + ".performedPeriod.end") : null;
        } else if (p.getPerformed() instanceof DateTimeType d) {
            start = date(d, at + ".performedDateTime");
            end = start;
        }
        boolean surgicalProfile = p.getMeta().getProfile().stream().anyMatch(c -> (MCODE + "mcode-cancer-related-surgical-procedure").equals(c.getValue()));
        if (coded(p.getCode(), SCT, SCT_AUTOLOGOUS_HSCT)) {
            if (line != null) {
                line.stemCellRescues++;
                line.rescueAt = line.rescueAt == null ? at : line.rescueAt;
            }
            return;
        }
        ComponentFacts component;
        if (coded(p.getCode(), SCT, SCT_RADIOTHERAPY_COURSE)) {
            component = new ComponentFacts(TreatmentCategory.local_radiotherapy, start, end);
            component.radiotherapy = radiotherapy(p, at);
        } else if (surgicalProfile) {
            component = new ComponentFacts(TreatmentCategory.local_surgery, start, end);
            Extension extension = p.getExtensionByUrl(EXT_SURGERY_EXTENT);
            component.surgeryExtent = extension != null && extension.getValue() instanceof CodeType c ? surgeryExtent(c.getValue()) : null;
            if (component.surgeryExtent == null) {
                issues.add(IssueType.CODEINVALID, at + ".extension('" + EXT_SURGERY_EXTENT + "')", "known-code",
                        "give the surgery extent as valueCode: complete, gross_total, near_total, partial or biopsy_only");
            }
        } else {
            issues.add(IssueType.CODEINVALID, at + ".code", "known-code", "the Procedure must be a radiotherapy course (SNOMED CT " + SCT_RADIOTHERAPY_COURSE
                    + "), an autologous stem-cell transplant (SNOMED CT " + SCT_AUTOLOGOUS_HSCT + ") or cancer surgery (mCODE CancerRelatedSurgicalProcedure)");
            return;
        }
        if (line != null) {
            line.components.put(List.of(at), component);
        }
    }

    /** Total dose and fractions from mCODE's dose-delivered-to-volume extension; the dose in Gy or cGy. */
    private Radiotherapy radiotherapy(Procedure p, String at) {
        Extension dose = p.getExtensionByUrl(EXT_RT_DOSE);
        Extension total = dose == null ? null : dose.getExtensionByUrl("totalDoseDelivered");
        Extension fractions = dose == null ? null : dose.getExtensionByUrl("fractionsDelivered");
        Double gy = null;
        if (total != null && total.getValue() instanceof Quantity q && q.hasValue()) {
            gy = switch (Objects.toString(q.getCode())) {
                case "Gy" -> q.getValue().doubleValue();
                case "cGy" -> q.getValue().doubleValue() / 100.0;
                default -> null;
            };
        }
        if (gy == null) {
            issues.add(IssueType.REQUIRED, at + ".extension('" + EXT_RT_DOSE + "').extension('totalDoseDelivered')", "radiotherapy-dose",
                    "give the total dose as a UCUM quantity in Gy or cGy");
        }
        Integer count = fractions != null && fractions.getValue() instanceof UnsignedIntType n ? n.getValue() : null;
        if (count == null) {
            issues.add(IssueType.REQUIRED, at + ".extension('" + EXT_RT_DOSE + "').extension('fractionsDelivered')", "radiotherapy-fractions",
                    "give the number of fractions as valueUnsignedInt");
        }
        RadiotherapyModality modality = null;
        Extension technique = p.getExtensionByUrl(EXT_RT_MODALITY);
        Extension mod = technique == null ? null : technique.getExtensionByUrl("modality");
        if (mod != null) {
            modality = mod.getValue() instanceof CodeableConcept cc ? RT_MODALITIES.get(code(cc, SCT)) : null;
            if (modality == null) {
                issues.add(IssueType.CODEINVALID, at + ".extension('" + EXT_RT_MODALITY + "').extension('modality')", "known-code",
                        "radiotherapy modality must be SNOMED CT 1156506007 (photon) or 10611004 (proton)");
            }
        }
        return new Radiotherapy(gy, count, modality, null);
    }

    // ---------------------------------------------------------------- follow-up

    private void encounter(Encounter e, List<Mapped> out) {
        String at = index.at(e);
        Patient patient = patient(e, e.getSubject());
        LocalDate date = e.getPeriod().hasStartElement() ? date(e.getPeriod().getStartElement(), at + ".period.start") : null;
        if (date == null) {
            issues.add(IssueType.REQUIRED, at + ".period.start", "contact-date", "give the date of the contact as period.start");
        }
        out.add(new Mapped(RecordKind.FOLLOW_UP, new FollowUpRecord(e.getIdPart(), pseudonymOf(patient), date, VitalStatus.alive, null), at));
    }

    // ---------------------------------------------------------------- values

    private LocalDate effectiveDate(Observation o) {
        String at = index.at(o);
        if (!(o.getEffective() instanceof DateTimeType d)) {
            issues.add(IssueType.REQUIRED, at + ".effectiveDateTime", "date-required", "give the date as effectiveDateTime");
            return null;
        }
        return date(d, at + ".effectiveDateTime");
    }

    /** The day of a date or dateTime; a value less precise than a day is an issue. */
    private LocalDate date(BaseDateTimeType value, String expression) {
        String text = value.getValueAsString();
        if (text == null || text.length() < 10) {
            issues.add(IssueType.VALUE, expression, "day-precision", "give a full date (YYYY-MM-DD)");
            return null;
        }
        return LocalDate.parse(text.substring(0, 10));
    }

    private static boolean coded(CodeableConcept concept, String system, String code) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private static boolean anyCoded(CodeableConcept concept, String system, Set<String> codes) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && codes.contains(c.getCode()));
    }

    private static String code(CodeableConcept concept, String system) {
        return concept == null ? null : concept.getCoding().stream().filter(c -> system.equals(c.getSystem())).map(Coding::getCode)
                .findFirst().orElse(null);
    }
}
