package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.nbregistry.intake.fhir.FhirTerms.pseudonymSystem;

/**
 * What every resource family's mapper reads a bundle with: the site, the bundle's index and the issues, and the
 * readers of values that report a missing or unknown value at its FHIRPath location rather than guess.
 */
final class BundleReader {

    /** A day's start and end, either possibly null. */
    record Dates(LocalDate start, LocalDate end) {
    }

    private final String site;
    private final BundleIndex index;
    private final Issues issues;

    BundleReader(String site, BundleIndex index, Issues issues) {
        this.site = site;
        this.index = index;
        this.issues = issues;
    }

    String site() {
        return site;
    }

    BundleIndex index() {
        return index;
    }

    void issue(IssueType type, String expression, String rule, String diagnostics) {
        issues.add(type, expression, rule, diagnostics);
    }

    /** Identifying data is refused, never dropped in silence, so a site learns that its export carries it. */
    void refuse(String expression, String why) {
        issues.add(IssueType.SECURITY, expression, "no-identifying-data", why);
    }

    String at(Resource resource) {
        return index.at(resource);
    }

    <T extends Resource> T resolve(Reference reference, Class<T> type, String expression) {
        return index.resolve(reference, type, expression, issues);
    }

    /** The Patient a resource's subject names. */
    Patient patient(Resource from, Reference subject) {
        return resolve(subject, Patient.class, at(from) + ".subject");
    }

    String pseudonymOf(Patient patient) {
        return patient == null ? null : patient.getIdentifier().stream().filter(i -> pseudonymSystem(site).equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- dates

    /** The day of a date or dateTime; a value less precise than a day is an issue. */
    LocalDate date(BaseDateTimeType value, String expression) {
        String text = value.getValueAsString();
        if (text == null || text.length() < 10) {
            issues.add(IssueType.VALUE, expression, "day-precision", "give a full date (YYYY-MM-DD)");
            return null;
        }
        return LocalDate.parse(text.substring(0, 10));
    }

    LocalDate effectiveDate(Observation o) {
        String at = at(o);
        if (!(o.getEffective() instanceof DateTimeType d)) {
            issues.add(IssueType.REQUIRED, at + ".effectiveDateTime", "date-required", "give the date as effectiveDateTime");
            return null;
        }
        return date(d, at + ".effectiveDateTime");
    }

    Dates period(Period p, String expression) {
        return new Dates(p.hasStartElement() ? date(p.getStartElement(), expression + ".start") : null,
                p.hasEndElement() ? date(p.getEndElement(), expression + ".end") : null);
    }

    /** The days of a Period or a dateTime (then start = end) in a choice element such as performed[x]. */
    Dates dates(Type value, String expression) {
        if (value instanceof Period p) {
            return period(p, expression + "Period");
        }
        if (value instanceof DateTimeType d) {
            LocalDate day = date(d, expression + "DateTime");
            return new Dates(day, day);
        }
        return new Dates(null, null);
    }

    // ---------------------------------------------------------------- codes

    static boolean coded(CodeableConcept concept, String system, String code) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    static boolean anyCoded(CodeableConcept concept, String system, Set<String> codes) {
        return concept != null && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && codes.contains(c.getCode()));
    }

    static String code(CodeableConcept concept, String system) {
        return concept == null ? null : concept.getCoding().stream().filter(c -> system.equals(c.getSystem())).map(Coding::getCode)
                .findFirst().orElse(null);
    }

    /** A code's entry in a table of codes; null for no code (the tables are immutable maps, which refuse a null key). */
    static <V> V lookup(Map<String, V> table, String code) {
        return code == null ? null : table.get(code);
    }

    /** The registry code of a value in one of its lists, matched as the JSON routes spell it; null if none. */
    static <E extends Enum<E>> E registryCode(Class<E> list, String code) {
        return Arrays.stream(list.getEnumConstants()).filter(v -> v.toString().equals(code)).findFirst().orElse(null);
    }

    static String spelled(Class<? extends Enum<?>> list) {
        return Arrays.stream(list.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }

    /**
     * A CodeableConcept that must carry a code of the registry list in the given system: the registry value, or null
     * with an issue at the expression when it carries none.
     */
    <E extends Enum<E>> E coding(Type value, String system, Class<E> list, String expression, String what) {
        E found = value instanceof CodeableConcept cc ? registryCode(list, code(cc, system)) : null;
        if (found == null) {
            issues.add(IssueType.CODEINVALID, expression, "known-code", "give the " + what + " as a code of " + system + ": " + spelled(list));
        }
        return found;
    }

    // ---------------------------------------------------------------- extensions

    /** The extension's location: FHIRPath's extension('url') function. */
    static String extensionAt(String at, String url) {
        return at + ".extension('" + url + "')";
    }

    /** The first extension with the url among a resource's or an element's extensions, or null. */
    static Extension find(List<Extension> extensions, String url) {
        return extensions.stream().filter(e -> url.equals(e.getUrl())).findFirst().orElse(null);
    }

    /** The valueCode of an (optional) extension as a registry code: null when absent, null with an issue when unknown. */
    <E extends Enum<E>> E codeExtension(List<Extension> on, String at, String url, Class<E> list, String what) {
        Extension extension = find(on, url);
        if (extension == null) {
            return null;
        }
        E found = extension.getValue() instanceof CodeType c ? registryCode(list, c.getValue()) : null;
        if (found == null) {
            issues.add(IssueType.CODEINVALID, extensionAt(at, url), "known-code", "give the " + what + " as valueCode: " + spelled(list));
        }
        return found;
    }

    /** The valueBoolean of an optional extension; any other value is an issue. */
    Boolean booleanExtension(List<Extension> on, String at, String url) {
        Extension extension = find(on, url);
        if (extension == null) {
            return null;
        }
        if (!(extension.getValue() instanceof BooleanType b) || !b.hasValue()) {
            issues.add(IssueType.VALUE, extensionAt(at, url), "boolean", "give valueBoolean");
            return null;
        }
        return b.getValue();
    }

    /** The valuePositiveInt of an optional extension; any other value is an issue. */
    Integer positiveIntExtension(List<Extension> on, String at, String url) {
        Extension extension = find(on, url);
        if (extension == null) {
            return null;
        }
        if (!(extension.getValue() instanceof PositiveIntType n) || !n.hasValue()) {
            issues.add(IssueType.VALUE, extensionAt(at, url), "positive-int", "give valuePositiveInt");
            return null;
        }
        return n.getValue();
    }

    /** The valueString of an optional extension; any other value is an issue. */
    String stringExtension(List<Extension> on, String at, String url) {
        Extension extension = find(on, url);
        if (extension == null) {
            return null;
        }
        if (!(extension.getValue() instanceof StringType s) || !s.hasValue()) {
            issues.add(IssueType.VALUE, extensionAt(at, url), "string", "give valueString");
            return null;
        }
        return s.getValue();
    }

    // ---------------------------------------------------------------- observation components

    static ObservationComponentComponent component(Observation o, String system, String code) {
        return o.getComponent().stream().filter(c -> coded(c.getCode(), system, code)).findFirst().orElse(null);
    }

    static List<ObservationComponentComponent> components(Observation o, String system, String code) {
        return o.getComponent().stream().filter(c -> coded(c.getCode(), system, code)).toList();
    }

    static Integer integer(ObservationComponentComponent c) {
        return c != null && c.getValue() instanceof IntegerType i ? i.getValue() : null;
    }

    /** The FHIRPath of the components with a code, e.g. component.where(code.coding.code='curie-score'). */
    static String componentAt(String at, String code) {
        return at + ".component.where(code.coding.code='" + code + "')";
    }

    /**
     * The registry codes of the repeated components with the given code, each a CodeableConcept of the list's
     * system; null when there are none, with an issue for each unknown one.
     */
    <E extends Enum<E>> List<E> codedComponents(Observation o, String at, String componentSystem, String componentCode,
                                                String valueSystem, Class<E> list, String what) {
        List<ObservationComponentComponent> found = components(o, componentSystem, componentCode);
        if (found.isEmpty()) {
            return null;
        }
        List<E> values = new ArrayList<>();
        for (ObservationComponentComponent c : found) {
            String where = at + ".component[" + o.getComponent().indexOf(c) + "].valueCodeableConcept";
            E value = coding(c.getValue(), valueSystem, list, where, what);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }
}
