package org.nbregistry.episode.rest;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.EpisodeType;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.VitalStatus;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Read access for operators and other registry tooling; sites read their records through intake-service. */
@Path("/v1/patients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Patients")
public class PatientResource {

    public record EpisodeView(UUID id, String site, String recordId, EpisodeType episodeType, LocalDate episodeDate, int episodeOrder) {
    }

    public record FollowUpView(UUID id, String site, String recordId, LocalDate date, VitalStatus vitalStatus) {
    }

    public record PatientView(String pseudonym, List<EpisodeView> episodes, List<FollowUpView> followUps) {
    }

    @GET
    @Path("/{pseudonym}")
    @WithSession
    @Operation(summary = "A patient's episodes (with derived order) and follow-ups")
    public Uni<PatientView> patient(@PathParam("pseudonym") String pseudonym) {
        return Episode.ofPatient(pseudonym).flatMap(episodes -> FollowUp.ofPatient(pseudonym).map(followUps -> {
            if (episodes.isEmpty() && followUps.isEmpty()) {
                throw new NotFoundException("no patient " + pseudonym);
            }
            return new PatientView(pseudonym,
                    episodes.stream().map(e -> new EpisodeView(e.id, e.site, e.recordId, e.episodeType, e.episodeDate, e.episodeOrder)).toList(),
                    followUps.stream().map(f -> new FollowUpView(f.id, f.site, f.recordId, f.date, f.vitalStatus)).toList());
        }));
    }
}
