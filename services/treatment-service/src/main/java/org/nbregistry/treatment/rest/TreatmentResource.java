package org.nbregistry.treatment.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.treatment.Treatment;
import org.nbregistry.treatment.TreatmentCategory;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Read access for operators and registry tooling; sites read their records through intake-service. */
@Path("/v1/patients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Treatments")
public class TreatmentResource {

    public record TreatmentView(UUID id, String site, String recordId, String episodeRecordId, TreatmentCategory category,
                                LocalDate startDate) {
    }

    @GET
    @Path("/{pseudonym}/treatments")
    @WithSession
    @Operation(summary = "A patient's treatment records, by start date")
    public Uni<List<TreatmentView>> treatments(@PathParam("pseudonym") String pseudonym) {
        return Treatment.ofPatient(pseudonym).map(list -> list.stream()
                .map(t -> new TreatmentView(t.id, t.site, t.recordId, t.episodeRecordId, t.category, t.startDate))
                .toList());
    }
}
