package org.nbregistry.local.platform;

import io.smallrye.jwt.build.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Development bearer tokens, signed with a data folder's {@link DevKeys}, with the claims the services read:
 * {@code sub} (who acts), {@code groups} (the role) and, for a site, {@code site} (the site code).
 */
final class DevTokens {

    static final String SITE_ROLE = "site";
    static final String ANALYST_ROLE = "analyst";
    static final String OPERATOR_ROLE = "operator";

    private DevTokens() {
    }

    /** @param site the site code; null for a role that is no site's (an analyst, an operator) */
    static String mint(DevKeys keys, String site, String role, String subject, Duration lifetime) {
        Instant now = Instant.now();
        var claims = Jwt.issuer(DevKeys.ISSUER).subject(subject).groups(Set.of(role)).issuedAt(now).expiresAt(now.plus(lifetime));
        if (site != null) {
            claims.claim("site", site);
        }
        return claims.jws().sign(keys.privateKey());
    }
}
