package org.nbregistry.local.platform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two image recipes — Jib's settings (every service reads them from service-support) and the Dockerfile that
 * docker compose builds with — start from the same base image, so an image from either runs the same way.
 * ImageBuildIT checks the rest of what Jib puts into the image against the Dockerfile.
 */
class ImageRecipeTest {

    static Properties jibSettings() throws IOException {
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(Kustomize.ROOT.resolve(
                "services/service-support/src/main/resources/META-INF/microprofile-config.properties"))) {
            settings.load(reader);
        }
        return settings;
    }

    static RuntimeStage dockerfile() throws IOException {
        return RuntimeStage.of(Kustomize.ROOT.resolve("deploy/container/Dockerfile"));
    }

    @Test
    void bothRecipesStartFromTheSameBaseImage() throws IOException {
        assertEquals(jibSettings().getProperty("quarkus.jib.base-jvm-image"), dockerfile().from());
    }

    @Test
    void bothRecipesNameTheImagesAsKubernetesDoes() throws IOException {
        assertEquals("nb-registry", jibSettings().getProperty("quarkus.container-image.group"));
        for (ServiceSpec service : Catalog.SERVICES) {
            assertEquals("nb-registry/" + service.name() + ":" + Kustomize.pomVersion(),
                    KubernetesManifestsTest.container("base", service.name()).path("image").asText(), "the image the build tags");
        }
    }
}
