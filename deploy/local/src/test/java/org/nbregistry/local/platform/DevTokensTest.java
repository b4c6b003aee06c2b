package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.smallrye.jwt.util.KeyUtils;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./platform token`: its options, and tokens that verify with the data folder's public key, as the services do. */
class DevTokensTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void aSiteTokenNamesTheSiteTheRoleAndTheSubject() {
        TokenOptions o = TokenOptions.parse(new String[] {"token", "--site", "S03"}, ROOT);
        assertEquals(ROOT.resolve(".platform-data"), o.dataDir());
        assertEquals(List.of("S03", "site", "data-manager@S03", Duration.ofDays(30)), List.of(o.site(), o.role(), o.subject(), o.lifetime()));

        TokenOptions custom = TokenOptions.parse(new String[] {"token", "--site", "S01", "--subject", "system-x", "--days", "2",
                "--data", "/tmp/d"}, ROOT);
        assertEquals(List.of(Path.of("/tmp/d"), "system-x", Duration.ofDays(2)), List.of(custom.dataDir(), custom.subject(), custom.lifetime()));
    }

    @Test
    void anAnalystTokenNeedsNoSite() {
        TokenOptions o = TokenOptions.parse(new String[] {"token", "--role", "analyst"}, ROOT);
        assertNull(o.site());
        assertEquals(List.of("analyst", "analyst"), List.of(o.role(), o.subject()));
    }

    @Test
    void mistakesAreReported() {
        for (String[] args : List.of(new String[] {"token"}, new String[] {"token", "--site", "s 01"}, new String[] {"token", "--site"},
                new String[] {"token", "--site", "S01", "--role", "admin"}, new String[] {"token", "--site", "S01", "--days", "0"},
                new String[] {"token", "--site", "S01", "--days", "x"}, new String[] {"token", "--site", "S01", "--subject", " "},
                new String[] {"token", "--site", "S01", "--port", "1"})) {
            assertThrows(IllegalArgumentException.class, () -> TokenOptions.parse(args, ROOT), String.join(" ", args));
        }
    }

    @Test
    void tokensVerifyWithTheDataFoldersPublicKeyWhichIsMadeOnce(@TempDir Path data) throws Exception {
        DevKeys keys = DevKeys.ensure(data);
        String publicKey = Files.readString(keys.publicKeyFile());
        assertEquals(DevKeys.directory(data).resolve("dev-public-key.pem"), keys.publicKeyFile());

        String token = DevTokens.mint(keys, "S02", "site", "dm@S02", Duration.ofDays(3));
        JwtClaims claims = verifier(publicKey).processToClaims(token);
        assertEquals(List.of("dm@S02", "S02", List.of("site")),
                List.of(claims.getSubject(), claims.getStringClaimValue("site"), claims.getStringListClaimValue("groups")));
        long expiresIn = claims.getExpirationTime().getValue() - Instant.now().getEpochSecond();
        assertTrue(Math.abs(expiresIn - Duration.ofDays(3).toSeconds()) < 300, "expires in " + expiresIn + " s");

        JwtClaims analyst = verifier(publicKey).processToClaims(DevTokens.mint(keys, null, "analyst", "analyst", Duration.ofDays(1)));
        assertNull(analyst.getClaimValue("site"));

        // The same folder keeps its pair; another folder's key does not verify this folder's tokens.
        assertEquals(publicKey, Files.readString(DevKeys.ensure(data).publicKeyFile()));
        String otherKey = Files.readString(DevKeys.ensure(data.resolve("other")).publicKeyFile());
        assertThrows(InvalidJwtException.class, () -> verifier(otherKey).processToClaims(token));
    }

    private static JwtConsumer verifier(String publicKeyPem) throws Exception {
        return new JwtConsumerBuilder().setVerificationKey(KeyUtils.decodePublicKey(publicKeyPem)).setExpectedIssuer(DevKeys.ISSUER)
                .setRequireExpirationTime().setRequireSubject().build();
    }
}
