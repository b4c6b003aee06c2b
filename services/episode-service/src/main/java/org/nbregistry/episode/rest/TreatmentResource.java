package org.nbregistry.episode.rest;

import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.security.Operators;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.TreatmentComponent;
import org.nbregistry.episode.messaging.Payloads.TreatmentState;
import org.nbregistry.episode.service.TreatmentStates;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Read access for operators (role operator) and registry tooling; sites read their records through intake-service. */
@RolesAllowed(Operators.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Operators.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Path("/v1/sites/{site}/patients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Treatments")
public class TreatmentResource {

    @GET
    @Path("/{pseudonym}/treatments")
    @WithSession
    @Operation(summary = "A site's patient's treatment lines with their components and coded agents, by start date")
    @APIResponse(responseCode = "200", description = "The patient's treatment lines; empty when none is recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = TreatmentState.class)))
    public Uni<List<TreatmentState>> treatments(@PathParam("site") String site, @PathParam("pseudonym") String pseudonym) {
        return TreatmentLine.ofPatient(site, pseudonym).flatMap(lines -> TreatmentComponent.ofTreatments(lines.stream().map(t -> t.id).toList())
                .map(components -> {
                    // In position order within each line, as ofTreatments reads them.
                    Map<UUID, List<TreatmentComponent>> byLine = components.stream().collect(Collectors.groupingBy(c -> c.treatmentId));
                    return lines.stream().map(t -> TreatmentStates.of(t, byLine.getOrDefault(t.id, List.of()))).toList();
                }));
    }
}
