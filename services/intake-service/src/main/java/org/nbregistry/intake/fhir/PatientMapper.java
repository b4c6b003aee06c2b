package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.rest.SiteRecords.Frontline;
import org.nbregistry.intake.rest.SiteRecords.PatientRecord;
import org.nbregistry.intake.rest.SiteRecords.SecondMalignancyRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.support.vocabulary.ClinicalCodes.HdcAsct;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.InssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.nbregistry.intake.fhir.BundleReader.code;
import static org.nbregistry.intake.fhir.BundleReader.lookup;
import static org.nbregistry.intake.fhir.BundleReader.coded;
import static org.nbregistry.intake.fhir.BundleReader.extensionAt;
import static org.nbregistry.intake.fhir.FhirTerms.*;

/**
 * Patients and what is known at initial diagnosis: the Patient (pseudonym only), the primary cancer Condition with the
 * age at diagnosis and frontline summary, the INRGSS/INSS stage Observations and MYCN at diagnosis; and second
 * malignancies, Conditions of their own.
 */
final class PatientMapper {

    private static final List<String> IDENTIFYING = List.of("name", "telecom", "address", "photo", "contact", "communication",
            "generalPractitioner", "link");

    private final BundleReader in;
    private final Map<Patient, PatientFacts> patients = new LinkedHashMap<>();
    private final List<Mapped> secondMalignancies = new ArrayList<>();

    PatientMapper(BundleReader in) {
        this.in = in;
    }

    /** A stage Observation: INRGSS (NCIt C133427) or INSS (SNOMED CT 409720004). */
    static boolean isStage(Observation o) {
        return coded(o.getCode(), NCIT, NCIT_INRGSS) || coded(o.getCode(), SCT, SCT_INSS);
    }

    void patient(Patient p) {
        patients.put(p, new PatientFacts(p));
    }

    List<Patient> all() {
        return List.copyOf(patients.keySet());
    }

    void mycnAtDiagnosis(Patient p, MycnStatus status) {
        PatientFacts facts = patients.get(p);
        if (facts != null) {
            facts.mycn = status;
        }
    }

    private final class PatientFacts {
        final Patient patient;
        final String at;
        final String pseudonym;
        String diagnosisAt;
        LocalDate diagnosisDate;
        Integer ageDays;
        Frontline frontline;
        InrgssStage inrgss;
        InssStage inss;
        MycnStatus mycn;

        PatientFacts(Patient p) {
            patient = p;
            at = in.at(p);
            for (String element : IDENTIFYING) {
                if (p.getNamedProperty(element).hasValues()) {
                    in.refuse(at + "." + element, "Patient." + element + " identifies the patient; the registry takes the pseudonym only");
                }
            }
            if (p.hasMultipleBirthIntegerType() || p.hasMultipleBirthBooleanType()) {
                in.refuse(at + ".multipleBirth", "Patient.multipleBirth helps identify the patient");
            }
            pseudonym = pseudonym(p);
            if (p.hasDeceasedBooleanType() && p.getDeceasedBooleanType().booleanValue()) {
                in.issue(IssueType.VALUE, at + ".deceasedBoolean", "death-date", "give the date of death as deceasedDateTime");
            }
        }

        private String pseudonym(Patient p) {
            String system = pseudonymSystem(in.site());
            String found = null;
            for (int i = 0; i < p.getIdentifier().size(); i++) {
                Identifier identifier = p.getIdentifier().get(i);
                String where = at + ".identifier[" + i + "]";
                if (identifier.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode()))) {
                    in.refuse(where, "a medical record number identifies the patient; send the registry pseudonym only");
                } else if (!system.equals(identifier.getSystem())) {
                    in.refuse(where, "only the pseudonym identifier (system " + system + ") is accepted; "
                            + identifier.getSystem() + " may identify the patient or name another site");
                } else if (found != null) {
                    in.issue(IssueType.INVALID, where, "one-pseudonym", "the patient has one pseudonym");
                } else {
                    found = identifier.getValue();
                }
            }
            if (p.getIdentifier().isEmpty()) {
                in.issue(IssueType.REQUIRED, at + ".identifier", "pseudonym-required", "give the pseudonym as identifier with system " + system);
            }
            return found;
        }

        Sex sex() {
            if (!patient.hasGender()) {
                in.issue(IssueType.REQUIRED, at + ".gender", "sex-required", "give Patient.gender (male, female or unknown)");
                return null;
            }
            return switch (patient.getGender()) {
                case MALE -> Sex.male;
                case FEMALE -> Sex.female;
                case UNKNOWN -> Sex.unknown;
                default -> {
                    in.issue(IssueType.CODEINVALID, at + ".gender", "known-code", "the registry records male, female or unknown");
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
                in.issue(IssueType.VALUE, at + ".birthDate", "birth-month", "give at least the year and month of birth");
                return null;
            }
            return value.substring(0, 7);
        }

        Mapped record() {
            Sex sex = sex();
            String birth = birthYearMonth();
            if (diagnosisAt == null) {
                in.issue(IssueType.REQUIRED, at, "primary-cancer-required", "the bundle carries no primary cancer Condition of this patient");
            }
            return new Mapped(RecordKind.PATIENT, new PatientRecord(patient.getIdPart(), pseudonym, sex, birth, ageDays, diagnosisDate,
                    inrgss, inss, mycn, frontline), at);
        }
    }

    /** The primary cancer: neuroblastoma, with the date of and age at initial diagnosis and the frontline summary. */
    void primaryCancer(Condition c) {
        String at = in.at(c);
        Patient p = in.patient(c, c.getSubject());
        boolean neuroblastoma = coded(c.getCode(), SCT, SCT_NEUROBLASTOMA) || coded(c.getCode(), ICD_O_3, ICD_O_3_NEUROBLASTOMA);
        if (!neuroblastoma) {
            in.issue(IssueType.CODEINVALID, at + ".code", "neuroblastoma",
                    "the primary cancer must be neuroblastoma: SNOMED CT " + SCT_NEUROBLASTOMA + " or ICD-O-3 morphology " + ICD_O_3_NEUROBLASTOMA
                            + " (a subsequent malignancy claims the profile " + PROFILE_SECOND_MALIGNANCY + ")");
        }
        LocalDate onset = c.hasOnsetDateTimeType() ? in.date(c.getOnsetDateTimeType(), at + ".onsetDateTime") : null;
        if (!c.hasOnsetDateTimeType()) {
            in.issue(IssueType.REQUIRED, at + ".onsetDateTime", "diagnosis-date", "give the date of initial diagnosis as onsetDateTime");
        }
        Integer age = ageInDays(c, at);
        Frontline frontline = frontline(c, at);
        PatientFacts facts = p == null ? null : patients.get(p);
        if (facts != null) {
            if (facts.diagnosisAt != null) {
                in.issue(IssueType.INVALID, at, "one-primary-cancer", "the patient already has a primary cancer Condition at " + facts.diagnosisAt);
            }
            facts.diagnosisAt = at;
            facts.diagnosisDate = onset;
            facts.ageDays = age;
            facts.frontline = frontline;
        }
    }

    /** The age at diagnosis as a UCUM age in days (an Age in other units would be rounded: refused). */
    private Integer ageInDays(Condition c, String at) {
        Extension extension = c.getExtensionByUrl(EXT_AGE_AT_DIAGNOSIS);
        if (extension == null) {
            return null;
        }
        if (extension.getValue() instanceof Age age && UCUM.equals(age.getSystem()) && "d".equals(age.getCode()) && age.hasValue()
                && age.getValue().stripTrailingZeros().scale() <= 0) {
            return age.getValue().intValueExact();
        }
        in.issue(IssueType.VALUE, extensionAt(at, EXT_AGE_AT_DIAGNOSIS) + ".valueAge", "age-in-days",
                "give the age at initial diagnosis as valueAge in whole days (system " + UCUM + ", code d)");
        return null;
    }

    /** The frontline summary: a complex extension with protocol, hdcAsct, antiGd2 and radiotherapy. */
    private Frontline frontline(Condition c, String at) {
        Extension extension = c.getExtensionByUrl(EXT_FRONTLINE);
        if (extension == null) {
            return null;
        }
        String where = extensionAt(at, EXT_FRONTLINE);
        return new Frontline(in.stringExtension(extension.getExtension(), where, "protocol"),
                in.codeExtension(extension.getExtension(), where, "hdcAsct", HdcAsct.class, "frontline HDC/ASCT"),
                in.booleanExtension(extension.getExtension(), where, "antiGd2"),
                in.booleanExtension(extension.getExtension(), where, "radiotherapy"));
    }

    /** A subsequent malignancy: its own record, the diagnosis as the Condition's code.text. */
    void secondMalignancy(Condition c) {
        String at = in.at(c);
        Patient p = in.patient(c, c.getSubject());
        LocalDate onset = c.hasOnsetDateTimeType() ? in.date(c.getOnsetDateTimeType(), at + ".onsetDateTime") : null;
        if (!c.hasOnsetDateTimeType()) {
            in.issue(IssueType.REQUIRED, at + ".onsetDateTime", "diagnosis-date", "give the date the malignancy was diagnosed as onsetDateTime");
        }
        String diagnosis = c.getCode().hasText() ? c.getCode().getText() : null;
        secondMalignancies.add(new Mapped(RecordKind.SECOND_MALIGNANCY,
                new SecondMalignancyRecord(c.getIdPart(), in.pseudonymOf(p), onset, diagnosis), at));
    }

    /** An INRGSS or INSS stage at diagnosis. */
    void stage(Observation o) {
        String at = in.at(o);
        Patient patient = in.patient(o, o.getSubject());
        PatientFacts facts = patient == null ? null : patients.get(patient);
        CodeableConcept value = o.getValue() instanceof CodeableConcept cc ? cc : null;
        if (coded(o.getCode(), NCIT, NCIT_INRGSS)) {
            InrgssStage stage = lookup(INRGSS, code(value, NCIT));
            if (stage == null) {
                in.issue(IssueType.CODEINVALID, at + ".valueCodeableConcept", "known-code", "INRGSS stage must be NCIt C133428 (L1), C133429 (L2), C133430 (M) or C133431 (MS)");
            } else if (facts != null) {
                facts.inrgss = stage;
            }
        } else {
            InssStage stage = in.coding(value, CS_INSS, InssStage.class, at + ".valueCodeableConcept", "INSS stage");
            if (stage != null && facts != null) {
                facts.inss = stage;
            }
        }
    }

    void emit(List<Mapped> out) {
        patients.values().forEach(p -> out.add(p.record()));
    }

    void emitSecondMalignancies(List<Mapped> out) {
        out.addAll(secondMalignancies);
    }
}
