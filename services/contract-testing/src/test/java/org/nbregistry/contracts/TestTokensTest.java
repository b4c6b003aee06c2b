package org.nbregistry.contracts;

import io.smallrye.jwt.util.KeyUtils;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestTokensTest {

    private final JwtConsumer verifier = verifier();

    @Test
    void aSiteTokenCarriesSubjectSiteAndRoleAndVerifiesWithThePublicKey() throws Exception {
        JwtClaims claims = verifier.processToClaims(TestTokens.site("SITE-A", "dm-1"));
        assertEquals("dm-1", claims.getSubject());
        assertEquals("SITE-A", claims.getStringClaimValue("site"));
        assertEquals(List.of("site"), claims.getStringListClaimValue("groups"));
        assertEquals(TestTokens.ISSUER, claims.getIssuer());
    }

    @Test
    void anAnalystTokenHasNoSite() throws Exception {
        JwtClaims claims = verifier.processToClaims(TestTokens.analyst());
        assertEquals(List.of("analyst"), claims.getStringListClaimValue("groups"));
        assertNull(claims.getClaimValue("site"));
    }

    @Test
    void brokenTokensDoNotVerify() {
        assertThrows(InvalidJwtException.class, () -> verifier.processToClaims(TestTokens.expired("SITE-A")));
        assertThrows(InvalidJwtException.class, () -> verifier.processToClaims(TestTokens.signedByAnotherKey("SITE-A")));
        assertThrows(InvalidJwtException.class, () -> verifier.processToClaims(TestTokens.fromAnotherIssuer("SITE-A")));
    }

    private static JwtConsumer verifier() {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEY_LOCATION)) {
            PublicKey key = KeyUtils.decodePublicKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(TestTokens.ISSUER)
                    .setRequireExpirationTime().setRequireSubject().build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
