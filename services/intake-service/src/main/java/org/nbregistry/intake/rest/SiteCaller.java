package org.nbregistry.intake.rest;

import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who calls, as the verified bearer token says: the site whose records the request may touch (the `site` claim)
 * and who acts for it (`sub`). The site never comes from the request itself, so a site can reach only its own records.
 */
@RequestScoped
public class SiteCaller {

    public static final String SITE_ROLE = "site";
    static final String SITE_CLAIM = "site";
    /** The OpenAPI description of a 403 answer of the site endpoints. */
    public static final String FORBIDDEN = "The token's role may not do this (intake is for the role site, with a site claim)";

    private final JsonWebToken token;

    public SiteCaller(JsonWebToken token) {
        this.token = token;
    }

    /** The site code the token names, or null when it names none (or not a valid code). */
    static String siteOf(JsonWebToken token) {
        Object claim = token.getClaim(SITE_CLAIM);
        String site = claim == null ? null : claim.toString();
        return site != null && site.matches(SiteRecords.SITE) ? site : null;
    }

    /** The caller's site. Endpoints for the site role only see tokens that name one (SiteRoleAugmentor). */
    public String site() {
        String site = siteOf(token);
        if (site == null) {
            throw new ForbiddenException("the token names no site");
        }
        return site;
    }

    /** Who acts: the token's subject, e.g. the data manager or the site system. */
    public String subject() {
        return token.getSubject();
    }
}
