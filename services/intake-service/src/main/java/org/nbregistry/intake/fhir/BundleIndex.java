package org.nbregistry.intake.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources of a bundle with their FHIRPath locations, and the resolution of references inside it: by fullUrl
 * (urn:uuid:… or absolute) or by Type/id. Nothing is looked up outside the bundle, so a bundle is judged on what it
 * carries alone.
 */
final class BundleIndex {

    private final List<Resource> resources = new ArrayList<>();
    private final Map<Resource, String> locations = new IdentityHashMap<>();
    private final Map<String, Resource> byReference = new HashMap<>();

    BundleIndex(Bundle bundle) {
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            Resource resource = entry.getResource();
            if (resource == null) {
                continue;
            }
            resources.add(resource);
            locations.put(resource, "Bundle.entry[" + i + "].resource");
            if (entry.hasFullUrl()) {
                byReference.put(entry.getFullUrl(), resource);
            }
            if (resource.getIdPart() != null) {
                byReference.put(resource.fhirType() + "/" + resource.getIdPart(), resource);
            }
        }
    }

    List<Resource> resources() {
        return resources;
    }

    /** Where the resource is, e.g. Bundle.entry[3].resource. */
    String at(Resource resource) {
        return locations.get(resource);
    }

    /**
     * The resource a reference names, of the given type; null (with an issue) when it names none in the bundle, or
     * a resource of another type.
     */
    <T extends Resource> T resolve(Reference reference, Class<T> type, String expression, Issues issues) {
        String target = reference == null ? null : reference.getReference();
        if (target == null) {
            issues.add(IssueType.REQUIRED, expression, "reference-required", "a reference to a " + type.getSimpleName() + " of this bundle is required");
            return null;
        }
        Resource found = byReference.get(target);
        if (found == null) {
            issues.add(IssueType.NOTFOUND, expression, "reference-in-bundle",
                    "'" + target + "' names no resource of this bundle (references must resolve inside the bundle)");
            return null;
        }
        if (!type.isInstance(found)) {
            issues.add(IssueType.INVALID, expression, "reference-type",
                    "'" + target + "' is a " + found.fhirType() + ", not a " + type.getSimpleName());
            return null;
        }
        return type.cast(found);
    }
}
