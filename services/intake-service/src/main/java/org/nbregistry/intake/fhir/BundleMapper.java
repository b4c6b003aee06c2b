package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.hl7.fhir.r4.model.Resource;
import org.nbregistry.intake.rest.SiteRecords.SiteRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.intake.submission.SubmissionService.RecordRef;

import java.util.ArrayList;
import java.util.List;

import static org.nbregistry.intake.fhir.FhirTerms.PROFILES;
import static org.nbregistry.intake.fhir.FhirTerms.PROFILE_SECOND_MALIGNANCY;

/**
 * Translates one bundle into the site records of the JSON routes (api-specs/fhir/MAPPING.md), collecting every
 * issue rather than stopping at the first. The bundle's entries and what every resource must satisfy are checked
 * here; each resource family is mapped by its own mapper (patients, episodes, treatment, follow-ups). The records
 * it makes are then checked by the same rules as JSON records.
 */
final class BundleMapper {

    /** One site record and the resource it mostly comes from, where its rule violations are reported. */
    record Mapped(RecordKind kind, SiteRecord record, String expression) {
    }

    record Result(List<Mapped> records, List<RecordRef> withdrawals) {
    }

    private final String site;
    private final Issues issues;

    BundleMapper(String site, Issues issues) {
        this.site = site;
        this.issues = issues;
    }

    Result map(Bundle bundle) {
        BundleReader in = new BundleReader(site, new BundleIndex(bundle), issues);
        if (bundle.getType() != BundleType.TRANSACTION && bundle.getType() != BundleType.COLLECTION) {
            issues.add(IssueType.VALUE, "Bundle.type", "bundle-type", "must be transaction or collection");
        }
        List<RecordRef> withdrawals = entries(bundle);
        List<Resource> resources = in.index().resources().stream().filter(r -> checkResource(r, in)).toList();
        PatientMapper patients = new PatientMapper(in);
        TrialEnrolments trials = new TrialEnrolments(in);
        EpisodeMapper episodes = new EpisodeMapper(in, patients, trials);
        TreatmentMapper treatments = new TreatmentMapper(in, trials);
        FollowUpMapper followUps = new FollowUpMapper(in);
        // Patients, episodes and lines first: the resources that point at them may come before them in the bundle.
        for (Resource r : resources) {
            if (r instanceof Patient p) {
                patients.patient(p);
            } else if (r instanceof Observation o && EpisodeMapper.isDiseaseStatus(o)) {
                episodes.diseaseStatus(o);
            } else if (r instanceof CarePlan c) {
                treatments.line(c);
            }
        }
        for (Resource r : resources) {
            if (r instanceof Observation o && !EpisodeMapper.isDiseaseStatus(o)) {
                if (PatientMapper.isStage(o)) {
                    patients.stage(o);
                } else {
                    episodes.observation(o);
                }
            } else if (r instanceof Condition c) {
                if (EpisodeMapper.isMetastasis(c)) {
                    episodes.metastasis(c);
                } else if (claims(c, PROFILE_SECOND_MALIGNANCY)) {
                    patients.secondMalignancy(c);
                } else {
                    patients.primaryCancer(c);
                }
            } else if (r instanceof Procedure p) {
                if (EpisodeMapper.isBiopsy(p)) {
                    episodes.biopsy(p);
                } else {
                    treatments.procedure(p);
                }
            } else if (r instanceof MedicationAdministration m) {
                treatments.medication(m, m.getMedication(), m.getEffective(), m.getSubject());
            } else if (r instanceof MedicationRequest m) {
                treatments.medication(m, m.getMedication(), null, m.getSubject());
            } else if (r instanceof ResearchSubject s) {
                trials.subject(s);
            } else if (r instanceof Encounter e) {
                followUps.encounter(e);
            }
        }
        List<Mapped> records = new ArrayList<>();
        patients.emit(records);
        episodes.emit(records);
        episodes.emitResponses(records);
        treatments.emit(records);
        followUps.emitContacts(records);
        patients.emitSecondMalignancies(records);
        followUps.emitDeaths(patients.all(), records);
        return new Result(records, withdrawals);
    }

    private static boolean claims(Resource r, String profile) {
        return r.getMeta().getProfile().stream().anyMatch(c -> profile.equals(c.getValue()));
    }

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
            case "Condition" -> List.of(RecordKind.SECOND_MALIGNANCY);
            default -> List.of();
        };
        if (kinds.isEmpty()) {
            issues.add(IssueType.NOTSUPPORTED, at + ".request.url", "delete-target",
                    "DELETE withdraws a Patient, a disease-status or INRC Observation, a CarePlan (treatment line), an Encounter (follow-up)"
                            + " or a second-malignancy Condition by Type/id; to change another resource, send its record's resources again");
            return List.of();
        }
        if (entry.getResource() != null) {
            issues.add(IssueType.INVALID, at + ".resource", "delete-without-resource", "a DELETE entry carries no resource");
        }
        return kinds.stream().map(kind -> new RecordRef(kind, parts[1])).toList();
    }

    /** What every resource must satisfy: a mapped type, an id, accepted profiles, and no narrative; false for an unmapped type. */
    private static boolean checkResource(Resource resource, BundleReader in) {
        String at = in.at(resource);
        if (!PROFILES.containsKey(resource.fhirType())) {
            in.issue(IssueType.NOTSUPPORTED, at, "resource-type", resource.fhirType() + " is not mapped to registry records; see api-specs/fhir/MAPPING.md");
            return false;
        }
        if (resource.getIdPart() == null) {
            in.issue(IssueType.REQUIRED, at + ".id", "id-required", "the resource id is the registry record id; give one");
        }
        List<CanonicalType> profiles = resource.getMeta().getProfile();
        for (int i = 0; i < profiles.size(); i++) {
            if (!PROFILES.get(resource.fhirType()).contains(profiles.get(i).getValue())) {
                in.issue(IssueType.VALUE, at + ".meta.profile[" + i + "]", "profile",
                        "profile " + profiles.get(i).getValue() + " is not one the registry accepts for " + resource.fhirType()
                                + " (accepted: " + PROFILES.get(resource.fhirType()) + ")");
            }
        }
        if (resource instanceof DomainResource d && d.hasText()) {
            in.refuse(at + ".text", "narrative may carry identifying data; send coded elements only");
        }
        return true;
    }
}
