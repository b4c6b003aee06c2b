package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.rest.SiteCodes.VitalStatus;
import org.nbregistry.intake.rest.SiteRecords.FollowUpRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.support.vocabulary.ClinicalCodes.CauseOfDeath;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.nbregistry.intake.fhir.BundleReader.extensionAt;
import static org.nbregistry.intake.fhir.FhirTerms.EXT_CAUSE_OF_DEATH;
import static org.nbregistry.intake.fhir.FhirTerms.EXT_FOLLOW_UP_ID;

/** Follow-ups: each Encounter a last contact alive; a Patient's deceasedDateTime (and cause of death) the death. */
final class FollowUpMapper {

    private final BundleReader in;
    private final List<Mapped> contacts = new ArrayList<>();

    FollowUpMapper(BundleReader in) {
        this.in = in;
    }

    void encounter(Encounter e) {
        String at = in.at(e);
        Patient patient = in.patient(e, e.getSubject());
        LocalDate date = e.getPeriod().hasStartElement() ? in.date(e.getPeriod().getStartElement(), at + ".period.start") : null;
        if (date == null) {
            in.issue(IssueType.REQUIRED, at + ".period.start", "contact-date", "give the date of the contact as period.start");
        }
        contacts.add(new Mapped(RecordKind.FOLLOW_UP, new FollowUpRecord(e.getIdPart(), in.pseudonymOf(patient), date, VitalStatus.alive, null), at));
    }

    void emitContacts(List<Mapped> out) {
        out.addAll(contacts);
    }

    /**
     * The death follow-up of each patient with a deceasedDateTime: record id {Patient.id}-death, or the one its
     * follow-up-id extension names (a death first sent as a JSON follow-up keeps its id); a cause of death needs one.
     */
    void emitDeaths(List<Patient> patients, List<Mapped> out) {
        for (Patient patient : patients) {
            String at = in.at(patient);
            CauseOfDeath cause = in.codeExtension(patient.getExtension(), at, EXT_CAUSE_OF_DEATH, CauseOfDeath.class, "cause of death");
            if (patient.hasDeceasedDateTimeType()) {
                LocalDate death = in.date(patient.getDeceasedDateTimeType(), at + ".deceasedDateTime");
                String recordId = in.stringExtension(patient.getDeceasedDateTimeType().getExtension(), at + ".deceasedDateTime", EXT_FOLLOW_UP_ID);
                out.add(new Mapped(RecordKind.FOLLOW_UP, new FollowUpRecord(recordId != null ? recordId : patient.getIdPart() + "-death", in.pseudonymOf(patient), death,
                        VitalStatus.dead, cause), at + ".deceasedDateTime"));
            } else if (patient.getExtensionByUrl(EXT_CAUSE_OF_DEATH) != null) {
                in.issue(IssueType.INVALID, extensionAt(at, EXT_CAUSE_OF_DEATH), "only-when-dead", "a cause of death needs Patient.deceasedDateTime");
            }
        }
    }
}
