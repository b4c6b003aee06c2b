package org.nbregistry.local.platform;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key script of docker-compose and the dev overlay (run by a JDK image as a source file) makes a pair once and
 * keeps it, and mints tokens that verify against its public key with the claims the services read.
 */
class DevKeysScriptTest {

    private static final Path SCRIPT = Kustomize.K8S.resolve("overlays/dev/dev-keys/DevKeys.java");

    @Test
    void makesTheKeyPairOnceAndMintsTokensTheServicesAccept(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys");
        assertTrue(run("files", keys.toString()).contains("made"));
        String publicKey = Files.readString(keys.resolve("dev-public-key.pem"));
        assertTrue(run("files", keys.toString()).contains("kept"));
        assertEquals(publicKey, Files.readString(keys.resolve("dev-public-key.pem")), "an existing pair is kept");

        String token = run("token", keys.toString(), "--role", "site", "--site", "S02").trim();
        JwtClaims claims = new JwtConsumerBuilder().setExpectedIssuer(DevKeys.ISSUER).setVerificationKey(publicKey(publicKey))
                .setRequireExpirationTime().setRequireSubject().build().processToClaims(token);
        assertEquals(List.of("site"), claims.getStringListClaimValue("groups"));
        assertEquals("S02", claims.getStringClaimValue("site"));
    }

    private static PublicKey publicKey(String pem) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the script ends");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
