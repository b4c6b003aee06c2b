package org.nbregistry.intake.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.support.vocabulary.AgentVocabulary;

import java.util.List;

/** The controlled vocabularies a site system needs to build valid records. */
@Path("/v1/vocabulary")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Vocabulary")
public class VocabularyResource {

    /** An agent a treatment component may name; ncitCode is absent while no code has been chosen. */
    public record AgentView(String code, String name, String ncitCode, String agentClass) {
    }

    @GET
    @Path("/agents")
    @Operation(summary = "The agents a treatment component may name, with their NCIt codes")
    public List<AgentView> agents() {
        return AgentVocabulary.all().stream()
                .map(a -> new AgentView(a.code(), a.name(), a.ncitCode(), a.agentClass().code()))
                .toList();
    }
}
