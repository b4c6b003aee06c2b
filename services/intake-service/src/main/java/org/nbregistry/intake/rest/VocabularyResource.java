package org.nbregistry.intake.rest;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.vocabulary.AgentVocabulary;

import java.util.List;

/** The controlled vocabularies a site system needs to build valid records; any authenticated caller may read them. */
@Path("/v1/vocabulary")
@Authenticated
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Vocabulary")
public class VocabularyResource {

    /** An agent a treatment component may name; ncitCode is absent while no code has been chosen. */
    public record AgentView(String code, String name, String ncitCode, String agentClass) {
    }

    @GET
    @Path("/agents")
    @APIResponse(responseCode = "200", description = "The agents")
    @Operation(summary = "The agents a treatment component may name, with their NCIt codes")
    public List<AgentView> agents() {
        return AgentVocabulary.all().stream()
                .map(a -> new AgentView(a.code(), a.name(), a.ncitCode(), a.agentClass().code()))
                .toList();
    }
}
