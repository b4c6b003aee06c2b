package org.nbregistry.support.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem documents, like every other error of a service that verifies bearer tokens. Such a service
 * authenticates lazily (quarkus.http.auth.proactive=false), so a missing, invalid or expired token surfaces here
 * rather than as the HTTP layer's empty challenge. The detail never says why a token failed: that would help someone
 * forge one. In a service without authentication none of these exceptions is ever thrown.
 */
public class SecurityProblems {

    /** The bearer-token scheme of the OpenAPI documents (quarkus.smallrye-openapi.security-scheme-name). */
    public static final String SCHEME = "bearer";
    /** The OpenAPI description of a 401 answer. */
    public static final String UNAUTHORIZED = "No bearer token, or one that is malformed, expired or not signed by the registry's key";
    private static final String CHALLENGE = "Bearer";

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e, UriInfo uri) {
        return unauthorized("A bearer token is required: send Authorization: Bearer <token>.", uri);
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized("The bearer token is not valid: wrong signature or issuer, malformed or expired.", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemMappers.respond(Problem.of("forbidden", "Forbidden", 403,
                "The token's role does not allow this request" + (e.getMessage() == null ? "." : ": " + e.getMessage() + "."), null), uri);
    }

    private static Response unauthorized(String detail, UriInfo uri) {
        Response problem = ProblemMappers.respond(Problem.of("unauthorized", "Unauthorized", 401, detail, null), uri);
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }
}
