package org.nbregistry.intake.fhir;

import org.nbregistry.contracts.RegistryRoot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The example history of api-specs/fhir/examples, as FHIR and as JSON records, moved to a given site and pseudonym. */
public final class FhirExamples {

    static final String EXAMPLE_SITE = "S01";
    static final String EXAMPLE_PSEUDONYM = "PSN-EXAMPLE";

    private FhirExamples() {
    }

    public static String bundle(String site, String pseudonym) {
        return read("patient-history.bundle.json").replace("/sid/" + EXAMPLE_SITE + "/", "/sid/" + site + "/")
                .replace(EXAMPLE_PSEUDONYM, pseudonym);
    }

    static String records(String pseudonym) {
        return read("patient-history.records.json").replace(EXAMPLE_PSEUDONYM, pseudonym);
    }

    private static String read(String name) {
        try {
            return Files.readString(RegistryRoot.apiSpecs().resolve("fhir").resolve("examples").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
