package org.nbregistry.intake;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A service too busy to read a request at once, made deterministic: authenticating a token of {@link #SUBJECT} takes
 * {@link #DELAY_MILLIS} on a timer of the event loop. The body of such a request waits unread in the socket meanwhile,
 * as it does on a saturated machine before the endpoint's chain gets to it.
 */
@ApplicationScoped
public class SlowAuthentication implements SecurityIdentityAugmentor {

    static final String SUBJECT = "slow-authentication@test";
    /** More than twice the test profile's body-idle-timeout (3 s), far below its body-timeout (20 s). */
    static final long DELAY_MILLIS = 7000;

    private final Vertx vertx;

    public SlowAuthentication(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || !SUBJECT.equals(token.getSubject())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(DELAY_MILLIS, fired -> emitter.complete(identity)));
    }
}
