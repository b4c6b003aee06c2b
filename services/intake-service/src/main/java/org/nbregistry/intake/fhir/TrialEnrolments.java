package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.hl7.fhir.r4.model.ResearchSubject.ResearchSubjectStatus;
import org.hl7.fhir.r4.model.Resource;
import org.nbregistry.intake.rest.SiteRecords.TrialEnrolment;

import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.nbregistry.intake.fhir.BundleReader.extensionAt;
import static org.nbregistry.intake.fhir.FhirTerms.EXT_ENROLMENT_FOR;
import static org.nbregistry.intake.fhir.FhirTerms.EXT_TRIAL_ENROLMENT;

/**
 * Trial enrolment of an episode or a treatment line. Enrolled: a ResearchSubject names the study by identifier
 * (NCT, EudraCT or CTIS number) and, by the enrolment-for extension, the episodes' disease-status Observations and
 * lines' CarePlans it covers. Not enrolled: the episode or line says so with the clinical-trial-enrolment extension
 * valueBoolean false (a ResearchSubject cannot say it: its study is required).
 */
final class TrialEnrolments {

    /** Statuses of someone who is or was on the study. */
    private static final Set<ResearchSubjectStatus> ENROLLED = EnumSet.of(ResearchSubjectStatus.ONSTUDY, ResearchSubjectStatus.ONSTUDYINTERVENTION,
            ResearchSubjectStatus.ONSTUDYOBSERVATION, ResearchSubjectStatus.FOLLOWUP, ResearchSubjectStatus.OFFSTUDY, ResearchSubjectStatus.WITHDRAWN);

    private final BundleReader in;
    /** The study identifier each episode or line is enrolled in. */
    private final Map<Resource, String> trials = new IdentityHashMap<>();

    TrialEnrolments(BundleReader in) {
        this.in = in;
    }

    void subject(ResearchSubject subject) {
        String at = in.at(subject);
        in.resolve(subject.getIndividual(), Patient.class, at + ".individual");
        if (subject.hasIdentifier()) {
            in.refuse(at + ".identifier", "a trial subject number identifies the patient in the trial's records; the study identifier is enough");
        }
        if (!ENROLLED.contains(subject.getStatus())) {
            in.issue(IssueType.CODEINVALID, at + ".status", "enrolled-status",
                    "a ResearchSubject records an enrolment: on-study, on-study-intervention, on-study-observation, follow-up, off-study or withdrawn");
        }
        String trial = subject.getStudy().getIdentifier().getValue();
        if (trial == null) {
            in.issue(IssueType.REQUIRED, at + ".study.identifier", "trial-identifier",
                    "name the study by its identifier (NCT, EudraCT or CTIS number); references to a ResearchStudy are not resolved");
        }
        List<Extension> targets = subject.getExtensionsByUrl(EXT_ENROLMENT_FOR);
        if (targets.isEmpty()) {
            in.issue(IssueType.REQUIRED, extensionAt(at, EXT_ENROLMENT_FOR), "enrolment-for",
                    "name the episode (disease-status Observation) or treatment line (CarePlan) enrolled, with valueReference");
        }
        for (int i = 0; i < targets.size(); i++) {
            String where = extensionAt(at, EXT_ENROLMENT_FOR) + "[" + i + "].valueReference";
            Resource target = targets.get(i).getValue() instanceof Reference r ? in.resolve(r, Resource.class, where) : null;
            if (target != null && !(target instanceof CarePlan) && !(target instanceof Observation o && EpisodeMapper.isDiseaseStatus(o))) {
                in.issue(IssueType.INVALID, where, "enrolment-for", "an enrolment is for an episode's disease-status Observation or a CarePlan (treatment line)");
            } else if (target != null && trials.containsKey(target)) {
                in.issue(IssueType.DUPLICATE, where, "one-trial", "another ResearchSubject already enrols " + target.fhirType() + "/" + target.getIdPart());
            } else if (target != null) {
                trials.put(target, trial);
            }
        }
    }

    /** The trial enrolment of an episode or line: enrolled with its study, not enrolled, or null when not said. */
    TrialEnrolment of(DomainResource target) {
        String at = in.at(target);
        Boolean said = in.booleanExtension(target.getExtension(), at, EXT_TRIAL_ENROLMENT);
        if (trials.containsKey(target)) {
            if (Boolean.FALSE.equals(said)) {
                in.issue(IssueType.INVALID, extensionAt(at, EXT_TRIAL_ENROLMENT), "trial-enrolment", "not enrolled, yet a ResearchSubject enrols it");
            }
            return new TrialEnrolment(true, trials.get(target));
        }
        if (Boolean.TRUE.equals(said)) {
            in.issue(IssueType.REQUIRED, extensionAt(at, EXT_TRIAL_ENROLMENT), "trial-enrolment",
                    "enrolled: send the ResearchSubject that names the study and, by " + EXT_ENROLMENT_FOR + ", this resource");
        }
        return Boolean.FALSE.equals(said) ? new TrialEnrolment(false, null) : null;
    }
}
