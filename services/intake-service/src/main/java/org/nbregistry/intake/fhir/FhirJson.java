package org.nbregistry.intake.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.ErrorHandlerAdapter;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 JSON in and out, by HAPI FHIR. Parsing is strict: every element R4 does not define, every value that is not
 * of its type or code list, becomes an issue; nothing is dropped in silence. The context is built once at start
 * with the models of the mapped resource types (a few seconds), so no request waits for them.
 */
@Startup
@ApplicationScoped
public class FhirJson {

    public static final String MEDIA_TYPE = "application/fhir+json";

    private final FhirContext context = FhirContext.forR4();

    public FhirJson() {
        // HAPI reads each resource type's model on first use; read them now rather than in the first request.
        for (String type : FhirTerms.PROFILES.keySet()) {
            context.getResourceDefinition(type);
        }
        context.getResourceDefinition("Bundle");
        context.getResourceDefinition("OperationOutcome");
    }

    /** The bundle, or null when the body is no FHIR JSON Bundle at all; structural issues are added to issues. */
    Bundle parse(String body, Issues issues) {
        IParser parser = context.newJsonParser().setParserErrorHandler(new Collecting(issues));
        try {
            return parser.parseResource(Bundle.class, body);
        } catch (DataFormatException | ClassCastException e) {
            issues.add(IssueType.STRUCTURE, "Bundle", "fhir-json", "the body is not a FHIR R4 JSON Bundle: " + e.getMessage());
            return null;
        }
    }

    FhirContext context() {
        return context;
    }

    String write(Resource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    /** Every parse problem as an issue; HAPI names the element, and its parent where it knows it. */
    private static final class Collecting extends ErrorHandlerAdapter {
        private final Issues issues;

        Collecting(Issues issues) {
            this.issues = issues;
        }

        private static String at(IParserErrorHandler.IParseLocation location, String element) {
            String parent = location == null ? null : location.getParentElementName();
            return "Bundle" + (parent == null ? "" : ".descendants()." + parent) + (element == null ? "" : ".descendants()." + element);
        }

        @Override
        public void unknownElement(IParserErrorHandler.IParseLocation location, String element) {
            issues.add(IssueType.STRUCTURE, at(location, element), "unknown-element", "'" + element + "' is not an element of FHIR R4 here");
        }

        @Override
        public void unknownAttribute(IParserErrorHandler.IParseLocation location, String attribute) {
            issues.add(IssueType.STRUCTURE, at(location, attribute), "unknown-element", "'" + attribute + "' is not an attribute of FHIR R4 here");
        }

        @Override
        public void invalidValue(IParserErrorHandler.IParseLocation location, String value, String error) {
            issues.add(IssueType.VALUE, at(location, null), "invalid-value", error);
        }

        @Override
        public void incorrectJsonType(IParserErrorHandler.IParseLocation location, String element, ValueType expected, ScalarType expectedScalar,
                                      ValueType found, ScalarType foundScalar) {
            issues.add(IssueType.STRUCTURE, at(location, element), "json-type", "'" + element + "' must be a JSON "
                    + (expectedScalar == null ? expected : expectedScalar) + ", not " + (foundScalar == null ? found : foundScalar));
        }

        @Override
        public void unexpectedRepeatingElement(IParserErrorHandler.IParseLocation location, String element) {
            issues.add(IssueType.STRUCTURE, at(location, element), "not-repeating", "'" + element + "' occurs at most once");
        }

        @Override
        public void missingRequiredElement(IParserErrorHandler.IParseLocation location, String element) {
            issues.add(IssueType.REQUIRED, at(location, element), "required", "'" + element + "' is required");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParserErrorHandler.IParseLocation location) {
            issues.add(IssueType.STRUCTURE, at(location, "extension"), "extension-value-or-nested", "an extension has a value or nested extensions, not both");
        }
    }
}
