package org.nbregistry.intake.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.ProblemMappers;

/**
 * 401 and 403 as problem documents, like every other error of the service. Authentication is not proactive
 * (quarkus.http.auth.proactive=false), so a missing, invalid or expired token surfaces here rather than as the
 * HTTP layer's empty challenge. The detail never says why a token failed: that would help someone forge one.
 */
public class SecurityProblems {

    /** The bearer-token scheme of the OpenAPI document (quarkus.smallrye-openapi.security-scheme-name). */
    static final String SCHEME = "bearer";
    static final String UNAUTHORIZED = "No bearer token, or one that is malformed, expired or not signed by the registry's key";
    static final String FORBIDDEN = "The token's role may not do this (intake is for the role site, with a site claim)";
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
