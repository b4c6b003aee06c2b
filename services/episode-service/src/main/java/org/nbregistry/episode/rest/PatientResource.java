package org.nbregistry.episode.rest;

import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.security.Operators;
import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.nbregistry.support.vocabulary.ClinicalCodes.CauseOfDeath;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.VitalStatus;
import org.nbregistry.episode.messaging.Payloads.EpisodeState;
import org.nbregistry.episode.messaging.Payloads.PatientState;
import org.nbregistry.episode.messaging.Payloads.ResponseAssessmentState;
import org.nbregistry.episode.messaging.Payloads.SecondMalignancyState;
import org.nbregistry.episode.service.PatientFile;
import org.nbregistry.episode.service.States;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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
@Tag(name = "Patients")
public class PatientResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowUpView(UUID id, String site, String recordId, LocalDate date, VitalStatus vitalStatus, CauseOfDeath causeOfDeath) {
    }

    /**
     * A treatment line in brief (its episode and dates: what the rules on deaths and episode changes hold it to); the
     * whole line with its components is served at .../treatments.
     */
    public record TreatmentLineView(UUID id, String site, String recordId, String episodeRecordId, LocalDate startDate, LocalDate endDate) {
    }

    /** Everything one site recorded on one patient; `patient` is absent for a patient known only by episodes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatientView(String pseudonym, PatientState patient, List<EpisodeState> episodes,
                              List<ResponseAssessmentState> responseAssessments, List<FollowUpView> followUps,
                              List<SecondMalignancyState> secondMalignancies, List<TreatmentLineView> treatmentLines) {
    }

    @GET
    @Path("/{pseudonym}")
    @WithSession
    @Operation(summary = "A site's patient: record, episodes (with derived order and best response), assessments, follow-ups, second malignancies and the treatment lines known to the rules")
    @APIResponse(responseCode = "200", description = "The patient's file",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PatientView.class)))
    @APIResponse(responseCode = "404", description = "The site has no record under this pseudonym",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PatientView> patient(@PathParam("site") String site, @PathParam("pseudonym") String pseudonym) {
        return PatientFile.load(site, pseudonym).map(file -> {
            if (!file.isKnown() && file.followUps().isEmpty()) {
                throw new NotFoundException("site " + site + " has no patient " + pseudonym);
            }
            Patient patient = file.patient();
            Map<UUID, Episode> byId = file.episodes().stream().collect(Collectors.toMap(e -> e.id, Function.identity()));
            return new PatientView(pseudonym, patient == null ? null : States.of(patient),
                    file.episodes().stream().map(e -> States.of(e, patient, file.assessmentsOf(e.id))).toList(),
                    file.assessments().stream().map(a -> States.of(a, byId.get(a.episodeId))).toList(),
                    file.followUps().stream().map(f -> new FollowUpView(f.id, f.site, f.recordId, f.date, f.vitalStatus, f.causeOfDeath)).toList(),
                    file.secondMalignancies().stream().map(States::of).toList(),
                    file.treatmentLines().stream().map(l -> new TreatmentLineView(l.id, l.site, l.recordId, l.episodeRecordId, l.startDate,
                            l.endDate)).toList());
        });
    }
}
