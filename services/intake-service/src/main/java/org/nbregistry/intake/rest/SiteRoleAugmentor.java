package org.nbregistry.intake.rest;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The role `site` counts only with a site code in the token: a token that has the role but names no valid site
 * loses it, so every site endpoint answers it 403 before reading the request, like any other role.
 */
@ApplicationScoped
public class SiteRoleAugmentor implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !identity.hasRole(SiteCaller.SITE_ROLE)
                || identity.getPrincipal() instanceof JsonWebToken token && SiteCaller.siteOf(token) != null) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder withoutSiteRole = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission);
        identity.getRoles().stream().filter(role -> !role.equals(SiteCaller.SITE_ROLE)).forEach(withoutSiteRole::addRole);
        return Uni.createFrom().item(withoutSiteRole.build());
    }
}
