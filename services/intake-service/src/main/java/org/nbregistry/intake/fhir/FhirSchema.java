package org.nbregistry.intake.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed bundle against the FHIR R4 XML schema (fhir-single.xsd of hapi-fhir-validation-resources-r4, run by HAPI's
 * SchemaBaseValidator): required elements, cardinality, datatypes and the code lists of required bindings, which the
 * JSON parser lets through when an element is merely absent. The bundle is written as XML, one element a line, so
 * each schema error's line names its element's FHIRPath (a missing element: the element that should hold it). The
 * schema (2.6 MB) is compiled at start.
 */
@Startup
@ApplicationScoped
public class FhirSchema {

    private static final String NAMESPACE = "http://hl7.org/fhir";
    private static final String CONTENT_OF_PARENT = "cvc-complex-type.2.4.a";

    private final FhirContext context;
    private final FhirValidator validator;

    public FhirSchema(FhirJson fhir) {
        context = fhir.context();
        validator = context.newValidator().setValidateAgainstStandardSchema(true).setValidateAgainstStandardSchematron(false);
        // The schema is compiled on first use; compile it now rather than in the first request.
        check(new Bundle().setType(Bundle.BundleType.COLLECTION), new Issues());
    }

    /** Each schema error of the bundle as an issue at its element. */
    void check(Bundle bundle, Issues issues) {
        String xml = context.newXmlParser().setPrettyPrint(true).encodeResourceToString(bundle);
        TreeMap<Integer, Open> elements = elements(xml);
        for (SingleValidationMessage message : validator.validateWithResult(xml).getMessages()) {
            if (message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL) {
                Integer line = message.getLocationLine();
                Map.Entry<Integer, Open> at = line == null ? null : elements.floorEntry(line);
                String text = message.getMessage().replace("\"" + NAMESPACE + "\":", "");
                // "Invalid content was found starting with element X" is about X's parent: an element it requires is missing before X.
                String path = at == null ? "Bundle" : text.startsWith(CONTENT_OF_PARENT) ? at.getValue().parent() : at.getValue().path();
                issues.add(IssueType.STRUCTURE, path, "fhir-r4-schema", text);
            }
        }
    }

    /**
     * An element: its FHIRPath and its parent's, its definition (null inside narrative XHTML) and how many of each child
     * it has.
     */
    private record Open(String path, String parent, BaseRuntimeElementDefinition<?> definition, Map<String, Integer> children) {
    }

    /**
     * The element each line opens or closes, by FHIRPath. A resource's own element (Observation inside entry.resource)
     * adds no step; a child that may repeat gets its index, as in Bundle.entry[3].resource.code.
     */
    private TreeMap<Integer, Open> elements(String xml) {
        TreeMap<Integer, Open> elements = new TreeMap<>();
        Deque<Open> open = new ArrayDeque<>();
        try {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
            while (reader.hasNext()) {
                int event = reader.next();
                int line = reader.getLocation().getLineNumber();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    Open element = child(open.peek(), reader.getLocalName());
                    open.push(element);
                    elements.putIfAbsent(line, element);
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    elements.putIfAbsent(line, open.pop());
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("HAPI wrote XML that does not read back", e);
        }
        return elements;
    }

    private Open child(Open parent, String name) {
        if (parent == null) {
            return new Open(name, name, context.getResourceDefinition(name), new HashMap<>());
        }
        if (parent.definition() != null && Character.isUpperCase(name.charAt(0))) {
            return new Open(parent.path(), parent.parent(), context.getResourceDefinition(name), new HashMap<>());
        }
        BaseRuntimeChildDefinition child = parent.definition() instanceof BaseRuntimeElementCompositeDefinition<?> composite
                ? composite.getChildByName(name) : null;
        int index = parent.children().merge(name, 1, Integer::sum) - 1;
        boolean repeats = child == null || child.getMax() != 1;
        return new Open(parent.path() + "." + name + (repeats ? "[" + index + "]" : ""), parent.path(),
                child == null ? null : child.getChildByName(name), new HashMap<>());
    }
}
