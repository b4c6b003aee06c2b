package org.nbregistry.intake.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.convertors.loaders.loaderR5.NullLoaderKnowledgeProviderR5;
import org.hl7.fhir.convertors.loaders.loaderR5.R4ToR5Loader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.context.SimpleWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeSystem;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.ByteProvider;
import org.hl7.fhir.utilities.http.ManagedWebAccess;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bundle against FHIR R4 itself (every resource's invariants, the code lists of required bindings, Bundle rules
 * such as fullUrl matching the resource) and against the registry's profiles its resources claim
 * (api-specs/fhir/profiles), by HL7's instance validator. No web access: the R4 definitions come from
 * hapi-fhir-validation-resources-r4, the registry's profiles from the classpath, and codes of external systems
 * (SNOMED CT, LOINC, NCIt, RxNorm) are not looked up, the mapping's own code tables check them. Loading the R4
 * definitions takes seconds of CPU and about 110 MB of heap, which a registry whose sites send JSON should not
 * pay: they are loaded when the first bundle arrives, which waits for them (api-specs/fhir/MAPPING.md, Validation).
 */
@ApplicationScoped
public class FhirProfiles {

    private static final String PROFILE_BASE = FhirTerms.REGISTRY + "StructureDefinition/";
    /** The registry's own profiles a resource may claim (FhirTerms.PROFILES), by id; each is published in api-specs/fhir/profiles. */
    static final List<String> REGISTRY_PROFILES = FhirTerms.PROFILES.values().stream().flatMap(Set::stream)
            .filter(url -> url.startsWith(PROFILE_BASE)).map(url -> url.substring(PROFILE_BASE.length())).sorted().toList();

    private static final Logger LOG = Logger.getLogger(FhirProfiles.class);
    private static final String R4 = "4.0.1";
    private static final String DEFINITIONS = "org/hl7/fhir/r4/model/";
    private static final List<String> R4_DEFINITIONS = List.of("profile/profiles-types.xml", "profile/profiles-resources.xml",
            "extension/extension-definitions.xml", "valueset/valuesets.xml", "valueset/v3-codesystems.xml");

    private final CompletableFuture<SimpleWorkerContext> context = new CompletableFuture<>();
    private final AtomicBoolean loading = new AtomicBoolean();

    /** Starts loading the definitions unless that has begun; {@link #check} waits for them. */
    void load() {
        if (!loading.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                context.complete(definitions());
            } catch (Throwable e) {
                LOG.error("the FHIR R4 definitions could not be loaded; FHIR bundles will be refused", e);
                context.completeExceptionally(e);
            }
        }, "fhir-definitions-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Each error the validator finds in the bundle as sent, at its FHIRPath location; warnings are not issues.
     *
     * @param fullUrls the bundle's entries' fullUrls, in order (null where an entry has none)
     */
    void check(String body, List<String> fullUrls, Issues issues) {
        load();
        InstanceValidator validator = new InstanceValidator(context.join(), null, null, null, new ValidatorSettings());
        validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        // Registry and mCODE extensions are read by the mapping, which refuses what it does not know.
        validator.setAnyExtensionsAllowed(true);
        // References resolve inside the bundle: the mapping checks them and names each that does not.
        validator.setPolicyAdvisor(new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.IGNORE, null));
        List<ValidationMessage> messages = new ArrayList<>();
        validator.validate(null, messages, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), FhirFormat.JSON);
        for (ValidationMessage message : messages) {
            if (isError(message)) {
                issues.add(issueType(message), location(message, fullUrls), "fhir-r4-profile", message.getMessage());
            }
        }
    }

    /** The validator's location without the resource names it writes in comments: Bundle.entry[1].resource/&#42;Observation/o1&#42;/.code */
    static String location(String at) {
        return at == null ? "Bundle" : at.replaceAll("/\\*.*?\\*/", "");
    }

    /**
     * Where a message belongs: its location, except that a fullUrl not matching its resource is reported by the
     * validator at the bundle's first entry; the entry with that fullUrl is the place.
     */
    private static String location(ValidationMessage message, List<String> fullUrls) {
        if (I18nConstants.BUNDLE_ENTRY_URL_MATCHES_TYPE_ID.equals(message.getMessageId())) {
            for (int i = 0; i < fullUrls.size(); i++) {
                if (fullUrls.get(i) != null && message.getMessage().contains("'" + fullUrls.get(i) + "'")) {
                    return "Bundle.entry[" + i + "].fullUrl";
                }
            }
        }
        return location(message.getLocation());
    }

    private static boolean isError(ValidationMessage message) {
        return message.getLevel() == ValidationMessage.IssueSeverity.ERROR || message.getLevel() == ValidationMessage.IssueSeverity.FATAL;
    }

    private static IssueType issueType(ValidationMessage message) {
        try {
            return message.getType() == null ? IssueType.PROCESSING : IssueType.fromCode(message.getType().toCode());
        } catch (Exception e) {
            return IssueType.PROCESSING;
        }
    }

    private static SimpleWorkerContext definitions() throws IOException {
        long start = System.nanoTime();
        // Neither a package server nor a terminology server: nothing here may leave the machine.
        ManagedWebAccess.setAccessPolicy(ManagedWebAccess.WebAccessPolicy.PROHIBITED);
        Map<String, ByteProvider> definitions = new LinkedHashMap<>();
        definitions.put("version.info", ByteProvider.forBytes(("version=" + R4 + "\n").getBytes(StandardCharsets.UTF_8)));
        for (String file : R4_DEFINITIONS) {
            definitions.put(file.substring(file.lastIndexOf('/') + 1), ByteProvider.forBytes(resource(DEFINITIONS + file)));
        }
        SimpleWorkerContext context = new SimpleWorkerContext.SimpleWorkerContextBuilder()
                .withDefaultParams()
                .withTerminologyCachePath("n/a") // in memory
                .fromDefinitions(definitions, loader(), null);
        context.setCanRunWithoutTerminology(true);
        context.setNoTerminologyServer(true);
        for (String profile : REGISTRY_PROFILES) {
            context.cacheResource(snapshot(context, resource("fhir-profiles/" + profile + ".json")));
        }
        LOG.infof("FHIR R4 definitions and %d registry profiles loaded in %d ms", REGISTRY_PROFILES.size(), (System.nanoTime() - start) / 1_000_000);
        return context;
    }

    /** A registry profile (an R4 differential) as the validator needs it: R5, with its snapshot generated. */
    private static StructureDefinition snapshot(SimpleWorkerContext context, byte[] json) throws IOException {
        var r4 = (org.hl7.fhir.r4.model.StructureDefinition) new org.hl7.fhir.r4.formats.JsonParser().parse(new ByteArrayInputStream(json));
        StructureDefinition profile = (StructureDefinition) VersionConvertorFactory_40_50.convertResource(r4);
        StructureDefinition base = context.fetchResource(StructureDefinition.class, profile.getBaseDefinition());
        List<ValidationMessage> messages = new ArrayList<>();
        new ProfileUtilities(context, messages, null).generateSnapshot(base, profile, profile.getUrl(), FhirTerms.REGISTRY, profile.getName());
        for (ValidationMessage message : messages) {
            if (isError(message)) {
                throw new IllegalStateException("profile " + profile.getUrl() + ": " + message.getLocation() + " " + message.getMessage());
            }
        }
        return profile;
    }

    /** R4's definitions as R5 resources; the SPDX license code system is left out, since the context defines its own. */
    private static R4ToR5Loader loader() {
        return new R4ToR5Loader(SimpleWorkerContext.defaultTypesToLoad(), new NullLoaderKnowledgeProviderR5(), R4) {
            @Override
            public Bundle loadBundle(InputStream stream, boolean isJson) throws IOException {
                Bundle bundle = super.loadBundle(stream, isJson);
                bundle.getEntry().removeIf(e -> e.getResource() instanceof CodeSystem cs && "http://hl7.org/fhir/spdx-license".equals(cs.getUrl()));
                return bundle;
            }
        };
    }

    private static byte[] resource(String name) {
        try (InputStream in = FhirProfiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("not on the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
