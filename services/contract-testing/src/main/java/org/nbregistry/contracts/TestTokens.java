package org.nbregistry.contracts;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Bearer tokens for the services' tests, signed with the TEST-ONLY key pair in {@code test-only-jwt/} of this
 * library. A service's tests verify them with {@code mp.jwt.verify.publickey.location=}{@value #PUBLIC_KEY_LOCATION}
 * and {@code mp.jwt.verify.issuer=}{@value #ISSUER}. The claims are those a registry token carries: {@code sub} (who
 * acts), {@code groups} (the role) and, for a site, {@code site} (the site code).
 */
public final class TestTokens {

    /** Classpath location of the test-only verification key. */
    public static final String PUBLIC_KEY_LOCATION = "test-only-jwt/public-key.pem";
    public static final String ISSUER = "https://test.nbregistry.invalid";
    public static final String SITE_ROLE = "site";
    public static final String ANALYST_ROLE = "analyst";
    public static final String OPERATOR_ROLE = "operator";
    public static final String SITE_CLAIM = "site";

    private static final String PRIVATE_KEY_LOCATION = "test-only-jwt/private-key.pem";
    private static final Duration LIFETIME = Duration.ofHours(1);

    private TestTokens() {
    }

    /** A data manager of the site, with the role {@code site}. */
    public static String site(String site) {
        return site(site, "data-manager@" + site);
    }

    public static String site(String site, String subject) {
        return sign(siteClaims(site, subject, Instant.now()), testKey());
    }

    /** An analyst: no site, the role {@code analyst}. */
    public static String analyst() {
        return sign(claims("analyst@registry", ANALYST_ROLE, Instant.now()), testKey());
    }

    /** An operator: registry staff or tooling reading whole patient files in episode-service. */
    public static String operator() {
        return sign(claims("operator@registry", OPERATOR_ROLE, Instant.now()), testKey());
    }

    /** A site token that expired an hour ago. */
    public static String expired(String site) {
        return sign(siteClaims(site, "data-manager@" + site, Instant.now().minus(LIFETIME).minus(LIFETIME)), testKey());
    }

    /** A site token signed with a key nobody trusts. */
    public static String signedByAnotherKey(String site) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(siteClaims(site, "data-manager@" + site, Instant.now()), generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A site token from an issuer the service does not accept, signed with the trusted key. */
    public static String fromAnotherIssuer(String site) {
        return sign(siteClaims(site, "data-manager@" + site, Instant.now()).issuer("https://elsewhere.invalid"), testKey());
    }

    /** The role {@code site} but no site claim: nobody can tell which site's records it may touch. */
    public static String siteRoleWithoutSite() {
        return sign(claims("data-manager@nowhere", SITE_ROLE, Instant.now()), testKey());
    }

    private static JwtClaimsBuilder siteClaims(String site, String subject, Instant issuedAt) {
        return claims(subject, SITE_ROLE, issuedAt).claim(SITE_CLAIM, site);
    }

    private static JwtClaimsBuilder claims(String subject, String role, Instant issuedAt) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(role)).issuedAt(issuedAt).expiresAt(issuedAt.plus(LIFETIME));
    }

    private static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().sign(key);
    }

    private static PrivateKey testKey() {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(PRIVATE_KEY_LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(PRIVATE_KEY_LOCATION + " is not on the classpath");
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(PRIVATE_KEY_LOCATION + " is not an RSA private key", e);
        }
    }
}
