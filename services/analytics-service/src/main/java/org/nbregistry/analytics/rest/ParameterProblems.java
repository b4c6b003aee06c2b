package org.nbregistry.analytics.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.ProblemMappers;

import java.util.List;

/** Bad analyst parameters as RFC 9457 problem documents, in the form every registry service uses. */
public class ParameterProblems {

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, UriInfo uri) {
        return ProblemMappers.respond(Problem.of("invalid-parameter", "Query parameter has an invalid value", 400, e.getMessage(), List.of(new Problem.FieldError(e.parameter(), e.rule(), e.getMessage()))), uri);
    }
}
