package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.fhir.BundleReader.Dates;
import org.nbregistry.intake.rest.SiteCodes.NotCompletedReason;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyModality;
import org.nbregistry.intake.rest.SiteCodes.RadiotherapyTarget;
import org.nbregistry.intake.rest.SiteCodes.StemCellRescue;
import org.nbregistry.intake.rest.SiteCodes.SurgeryExtent;
import org.nbregistry.intake.rest.SiteCodes.TreatmentCategory;
import org.nbregistry.intake.rest.SiteCodes.TreatmentIntent;
import org.nbregistry.intake.rest.SiteRecords.Radiotherapy;
import org.nbregistry.intake.rest.SiteRecords.TreatmentComponent;
import org.nbregistry.intake.rest.SiteRecords.TreatmentRecord;
import org.nbregistry.intake.submission.RecordKind;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.nbregistry.intake.fhir.BundleReader.code;
import static org.nbregistry.intake.fhir.BundleReader.lookup;
import static org.nbregistry.intake.fhir.BundleReader.registryCode;
import static org.nbregistry.intake.fhir.BundleReader.spelled;
import static org.nbregistry.intake.fhir.BundleReader.coded;
import static org.nbregistry.intake.fhir.BundleReader.extensionAt;
import static org.nbregistry.intake.fhir.FhirTerms.*;

/**
 * Treatment lines: a CarePlan is the line; the medications and procedures that name it by the treatment-line
 * extension are its components (medications of one category and period together), an autologous stem-cell
 * transplant the rescue of its consolidation.
 */
final class TreatmentMapper {

    private static final Set<TreatmentCategory> LOCAL = EnumSet.of(TreatmentCategory.local_surgery, TreatmentCategory.local_radiotherapy);

    private final BundleReader in;
    private final TrialEnrolments trials;
    private final Map<CarePlan, LineFacts> lines = new LinkedHashMap<>();

    TreatmentMapper(BundleReader in, TrialEnrolments trials) {
        this.in = in;
        this.trials = trials;
    }

    void line(CarePlan plan) {
        lines.put(plan, new LineFacts(plan, in.patient(plan, plan.getSubject())));
    }

    /** One treatment line and the components its medications and procedures make. */
    private final class LineFacts {
        final CarePlan plan;
        final Patient patient;
        final String at;
        /** Components by category and period, key or procedure, in the order their first resource came. */
        final Map<List<Object>, ComponentFacts> components = new LinkedHashMap<>();
        int stemCellRescues;
        String rescueAt;

        LineFacts(CarePlan plan, Patient patient) {
            this.plan = plan;
            this.patient = patient;
            this.at = in.at(plan);
        }

        Mapped record() {
            Observation status = plan.getSupportingInfo().size() == 1
                    ? in.resolve(plan.getSupportingInfo().get(0), Observation.class, at + ".supportingInfo[0]") : null;
            if (plan.getSupportingInfo().size() != 1) {
                in.issue(IssueType.REQUIRED, at + ".supportingInfo", "episode", "name the episode's disease-status Observation as the only supportingInfo");
            }
            Extension number = plan.getExtensionByUrl(EXT_LINE_NUMBER);
            Integer lineNumber = number != null && number.getValue() instanceof PositiveIntType n ? n.getValue() : null;
            if (lineNumber == null) {
                in.issue(IssueType.REQUIRED, extensionAt(at, EXT_LINE_NUMBER), "line-number", "give the line number as valuePositiveInt");
            }
            Dates period = in.period(plan.getPeriod(), at + ".period");
            List<ComponentFacts> parts = new ArrayList<>(components.values());
            if (stemCellRescues > 0) {
                List<ComponentFacts> consolidation = parts.stream().filter(c -> c.category == TreatmentCategory.consolidation).toList();
                if (consolidation.size() != 1 || stemCellRescues > 2) {
                    in.issue(IssueType.INVALID, rescueAt, "stem-cell-rescue",
                            "an autologous stem-cell rescue belongs to the line's one consolidation (its conditioning medications), once or twice (tandem)");
                } else {
                    consolidation.get(0).rescue = stemCellRescues == 1 ? StemCellRescue.single : StemCellRescue.tandem;
                }
            }
            return new Mapped(RecordKind.TREATMENT, new TreatmentRecord(plan.getIdPart(), in.pseudonymOf(patient), status == null ? null : status.getIdPart(),
                    lineNumber, intent(), period.start(), period.end(), plan.hasTitle() ? plan.getTitle() : null, trials.of(plan),
                    parts.stream().map(ComponentFacts::toComponent).toList()), at);
        }

        /** mCODE's procedure-intent (or older treatment-intent) extension, SNOMED CT 373808002 curative or 363676003 palliative. */
        private TreatmentIntent intent() {
            Extension extension = EXT_TREATMENT_INTENTS.stream().map(plan::getExtensionByUrl).filter(Objects::nonNull).findFirst().orElse(null);
            if (extension == null) {
                return null;
            }
            TreatmentIntent intent = extension.getValue() instanceof CodeableConcept cc ? lookup(TREATMENT_INTENTS, code(cc, SCT)) : null;
            if (intent == null) {
                in.issue(IssueType.CODEINVALID, extensionAt(at, extension.getUrl()) + ".valueCodeableConcept", "known-code",
                        "treatment intent must be SNOMED CT 373808002 (curative) or 363676003 (palliative)");
            }
            return intent;
        }
    }

    /** A component: its category and dates, what its resources say of it, and those only its category has. */
    private final class ComponentFacts {
        final TreatmentCategory category;
        Dates dates;
        final List<String> agents = new ArrayList<>();
        Integer cycles;
        Boolean completed;
        NotCompletedReason notCompletedReason;
        SurgeryExtent surgeryExtent;
        Radiotherapy radiotherapy;
        StemCellRescue rescue;

        ComponentFacts(TreatmentCategory category, Dates dates) {
            this.category = category;
            this.dates = dates;
        }

        /**
         * The treatment-component extension of one of its resources: cycles, completed, notCompletedReason. Every
         * resource of a component that gives a value gives the same one.
         */
        void describedBy(DomainResource r, String at) {
            Extension extension = r.getExtensionByUrl(EXT_COMPONENT);
            if (extension == null) {
                return;
            }
            String where = extensionAt(at, EXT_COMPONENT);
            cycles = same(cycles, in.positiveIntExtension(extension.getExtension(), where, "cycles"), where + ".extension('cycles')");
            completed = same(completed, in.booleanExtension(extension.getExtension(), where, "completed"), where + ".extension('completed')");
            notCompletedReason = same(notCompletedReason, in.codeExtension(extension.getExtension(), where, "notCompletedReason", NotCompletedReason.class,
                    "reason for not completing"), where + ".extension('notCompletedReason')");
        }

        private <T> T same(T known, T given, String where) {
            if (known != null && given != null && !known.equals(given)) {
                in.issue(IssueType.INVALID, where, "component-consistent",
                        "another resource of this " + category + " component says " + known + ", not " + given);
            }
            return known != null ? known : given;
        }

        /**
         * Takes in the period of one more of its medications: the component runs from the earliest start to the latest
         * end, and is ongoing while any of them is; a medication without dates (a request) changes nothing.
         */
        void spans(Dates more) {
            if (more.start() == null && more.end() == null) {
                return;
            }
            if (dates.start() == null && dates.end() == null) {
                dates = more;
                return;
            }
            boolean ongoing = dates.start() != null && dates.end() == null || more.start() != null && more.end() == null;
            dates = new Dates(earliest(dates.start(), more.start()), ongoing ? null : latest(dates.end(), more.end()));
        }

        TreatmentComponent toComponent() {
            return new TreatmentComponent(category, agents.isEmpty() ? null : List.copyOf(agents), dates.start(), dates.end(), cycles, completed,
                    notCompletedReason, surgeryExtent, radiotherapy, rescue);
        }
    }

    /** The line a medication or procedure names with the treatment-line extension. */
    private LineFacts lineOf(DomainResource r, String at) {
        Extension extension = r.getExtensionByUrl(EXT_TREATMENT_LINE);
        if (extension == null || !(extension.getValue() instanceof Reference reference)) {
            in.issue(IssueType.REQUIRED, extensionAt(at, EXT_TREATMENT_LINE), "treatment-line",
                    "name the treatment line (a CarePlan of this bundle) with a valueReference");
            return null;
        }
        CarePlan plan = in.resolve(reference, CarePlan.class, extensionAt(at, EXT_TREATMENT_LINE) + ".valueReference");
        return plan == null ? null : lines.get(plan);
    }

    /** A MedicationAdministration (effective[x]) or MedicationRequest (no dates): one agent of a systemic component. */
    void medication(DomainResource m, Type medication, Type effective, Reference subject) {
        String at = in.at(m);
        in.patient(m, subject);
        LineFacts line = lineOf(m, at);
        Extension extension = m.getExtensionByUrl(EXT_TREATMENT_CATEGORY);
        TreatmentCategory category = extension != null && extension.getValue() instanceof CodeType c
                ? registryCode(TreatmentCategory.class, c.getValue()) : null;
        if (category == null || LOCAL.contains(category)) {
            in.issue(IssueType.CODEINVALID, extensionAt(at, EXT_TREATMENT_CATEGORY), "known-code",
                    "give the treatment category as valueCode: chemotherapy, immunotherapy, consolidation, maintenance, targeted or other");
            category = null;
        }
        String agent = null;
        for (Coding coding : medication instanceof CodeableConcept cc ? cc.getCoding() : List.<Coding>of()) {
            agent = agent == null ? agent(coding.getSystem(), coding.getCode()) : agent;
        }
        if (agent == null) {
            in.issue(IssueType.CODEINVALID, at + ".medicationCodeableConcept", "known-agent",
                    "the medication must be coded as an agent of the vocabulary (GET /v1/vocabulary/agents): by RxNorm, NCIt or " + CS_AGENT);
        }
        Dates dates = in.dates(effective, at + ".effective");
        if (line != null && category != null && agent != null) {
            // Medications of one category given over the same period are one component, agents in bundle order; a key
            // tells apart components that share both, or joins the medications of one given on different days (an
            // EHR records each administration with its own date).
            TreatmentCategory c = category;
            Extension described = m.getExtensionByUrl(EXT_COMPONENT);
            String key = described == null ? null : in.stringExtension(described.getExtension(), extensionAt(at, EXT_COMPONENT), "key");
            ComponentFacts component = line.components.computeIfAbsent(
                    key != null ? List.of("key", key) : List.of(c, Objects.toString(dates.start()), Objects.toString(dates.end())),
                    k -> new ComponentFacts(c, dates));
            if (component.category != c) {
                in.issue(IssueType.INVALID, extensionAt(at, EXT_COMPONENT) + ".extension('key')", "component-consistent",
                        "the medications of component '" + key + "' have one category: " + component.category + ", not " + c);
            }
            component.spans(dates);
            component.agents.add(agent);
            component.describedBy(m, at);
        }
    }

    /** A radiotherapy course, cancer surgery or autologous stem-cell transplant of a line (a biopsy is an episode's). */
    void procedure(Procedure p) {
        String at = in.at(p);
        in.patient(p, p.getSubject());
        LineFacts line = lineOf(p, at);
        Dates dates = in.dates(p.getPerformed(), at + ".performed");
        if (coded(p.getCode(), SCT, SCT_AUTOLOGOUS_HSCT)) {
            if (line != null) {
                line.stemCellRescues++;
                line.rescueAt = line.rescueAt == null ? at : line.rescueAt;
            }
            return;
        }
        ComponentFacts component;
        boolean surgicalProfile = p.getMeta().getProfile().stream().anyMatch(c -> (MCODE + "mcode-cancer-related-surgical-procedure").equals(c.getValue()));
        if (coded(p.getCode(), SCT, SCT_RADIOTHERAPY_COURSE)) {
            component = new ComponentFacts(TreatmentCategory.local_radiotherapy, dates);
            component.radiotherapy = radiotherapy(p, at);
        } else if (p.getExtensionByUrl(EXT_TREATMENT_CATEGORY) != null) {
            // A treatment that is neither a drug, surgery nor radiotherapy (e.g. a procedure-based therapy): an "other" component.
            TreatmentCategory named = in.codeExtension(p.getExtension(), at, EXT_TREATMENT_CATEGORY, TreatmentCategory.class, "treatment category");
            if (named != TreatmentCategory.other) {
                if (named != null) {
                    in.issue(IssueType.CODEINVALID, extensionAt(at, EXT_TREATMENT_CATEGORY), "procedure-category",
                            "a Procedure names the treatment category only for an agent-free component (valueCode other); " + named
                                    + " is a medication's, a radiotherapy course's or a surgery's");
                }
                return;
            }
            component = new ComponentFacts(TreatmentCategory.other, dates);
        } else if (surgicalProfile) {
            component = new ComponentFacts(TreatmentCategory.local_surgery, dates);
            component.surgeryExtent = in.codeExtension(p.getExtension(), at, EXT_SURGERY_EXTENT, SurgeryExtent.class, "surgery extent");
            if (p.getExtensionByUrl(EXT_SURGERY_EXTENT) == null) {
                in.issue(IssueType.CODEINVALID, extensionAt(at, EXT_SURGERY_EXTENT), "known-code",
                        "give the surgery extent as valueCode: " + spelled(SurgeryExtent.class));
            }
        } else {
            in.issue(IssueType.CODEINVALID, at + ".code", "known-code", "the Procedure must be a radiotherapy course (SNOMED CT " + SCT_RADIOTHERAPY_COURSE
                    + "), an autologous stem-cell transplant (SNOMED CT " + SCT_AUTOLOGOUS_HSCT + "), a biopsy (SNOMED CT " + SCT_BIOPSY
                    + "), cancer surgery (mCODE CancerRelatedSurgicalProcedure) or an agent-free treatment (" + EXT_TREATMENT_CATEGORY + " other)");
            return;
        }
        component.describedBy(p, at);
        if (line != null) {
            line.components.put(List.of(at), component);
        }
    }

    /** Total dose and fractions from mCODE's dose-delivered-to-volume extension (Gy or cGy); modality; the registry's target. */
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
            in.issue(IssueType.REQUIRED, extensionAt(at, EXT_RT_DOSE) + ".extension('totalDoseDelivered')", "radiotherapy-dose",
                    "give the total dose as a UCUM quantity in Gy or cGy");
        }
        Integer count = fractions != null && fractions.getValue() instanceof UnsignedIntType n ? n.getValue() : null;
        if (count == null) {
            in.issue(IssueType.REQUIRED, extensionAt(at, EXT_RT_DOSE) + ".extension('fractionsDelivered')", "radiotherapy-fractions",
                    "give the number of fractions as valueUnsignedInt");
        }
        RadiotherapyModality modality = null;
        Extension technique = p.getExtensionByUrl(EXT_RT_MODALITY);
        Extension mod = technique == null ? null : technique.getExtensionByUrl("modality");
        if (mod != null) {
            CodeableConcept cc = mod.getValue() instanceof CodeableConcept c ? c : null;
            modality = lookup(RT_MODALITIES, code(cc, SCT));
            modality = modality != null ? modality : registryCode(RadiotherapyModality.class, code(cc, CS_RT_MODALITY));
            if (modality == null) {
                in.issue(IssueType.CODEINVALID, extensionAt(at, EXT_RT_MODALITY) + ".extension('modality')", "known-code",
                        "radiotherapy modality must be SNOMED CT 1156506007 (photon) or 10611004 (proton), or a code of " + CS_RT_MODALITY
                                + ": " + spelled(RadiotherapyModality.class));
            }
        }
        RadiotherapyTarget target = in.codeExtension(p.getExtension(), at, EXT_RT_TARGET, RadiotherapyTarget.class, "radiotherapy target");
        return new Radiotherapy(gy, count, modality, target);
    }

    private static LocalDate earliest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    void emit(List<Mapped> out) {
        lines.values().forEach(l -> out.add(l.record()));
    }
}
