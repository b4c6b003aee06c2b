package org.nbregistry.intake.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.intake.rest.SiteRecords.EpisodeRecord;
import org.nbregistry.intake.rest.SiteRecords.FollowUpRecord;
import org.nbregistry.intake.rest.SiteRecords.PatientRecord;
import org.nbregistry.intake.rest.SiteRecords.ResponseAssessmentRecord;
import org.nbregistry.intake.rest.SiteRecords.SecondMalignancyRecord;
import org.nbregistry.intake.rest.SiteRecords.SiteRecord;
import org.nbregistry.intake.rest.SiteRecords.TreatmentRecord;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.intake.submission.SubmissionService;
import org.nbregistry.intake.submission.SubmissionService.IncomingRecord;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.http.PublicLinks;

import java.util.List;

/**
 * Sites submit records here. A record that passes the field rules is stored and answered 202 ACCEPTED at once;
 * the owning service then applies or rejects it, visible at the submission's URL. The records are the site's of
 * the caller's token.
 */
@Path("/v1")
@RolesAllowed(SiteCaller.SITE_ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = SiteCaller.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Submissions")
public class SubmissionResource {

    private static final String ACCEPTED = "Accepted; follow the Location for APPLIED or REJECTED";
    private static final String MALFORMED = "Malformed JSON, a wrong type, a value outside its code list or an unknown field";
    private static final String BROKEN = "A field breaks a rule; every broken rule is listed";

    private final SubmissionService submissions;
    private final SiteCaller caller;
    private final PublicLinks links;

    public SubmissionResource(SubmissionService submissions, SiteCaller caller, PublicLinks links) {
        this.submissions = submissions;
        this.caller = caller;
        this.links = links;
    }

    @POST
    @Path("/patients")
    @Operation(summary = "Submit a patient: sex, age or birth month, initial diagnosis, stage, MYCN, frontline summary")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitPatient(@Valid @NotNull PatientRecord record) {
        return accept(RecordKind.PATIENT, record);
    }

    @POST
    @Path("/episodes")
    @Operation(summary = "Submit a refractory, relapse or progression episode with its extent, work-up and findings")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitEpisode(@Valid @NotNull EpisodeRecord record) {
        return accept(RecordKind.EPISODE, record);
    }

    @POST
    @Path("/response-assessments")
    @Operation(summary = "Submit an INRC 2017 response assessment of an episode; the overall response is derived")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitResponseAssessment(@Valid @NotNull ResponseAssessmentRecord record) {
        return accept(RecordKind.RESPONSE_ASSESSMENT, record);
    }

    @POST
    @Path("/follow-ups")
    @Operation(summary = "Submit a follow-up: seen alive on a date, or died on it (with the cause)")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitFollowUp(@Valid @NotNull FollowUpRecord record) {
        return accept(RecordKind.FOLLOW_UP, record);
    }

    @POST
    @Path("/second-malignancies")
    @Operation(summary = "Submit a subsequent (second) malignancy")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitSecondMalignancy(@Valid @NotNull SecondMalignancyRecord record) {
        return accept(RecordKind.SECOND_MALIGNANCY, record);
    }

    @POST
    @Path("/treatments")
    @Operation(summary = "Submit a treatment line of an episode, with its components and coded agents")
    @APIResponse(responseCode = "202", description = ACCEPTED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submitTreatment(@Valid @NotNull TreatmentRecord record) {
        return accept(RecordKind.TREATMENT, record);
    }

    @GET
    @Path("/submissions/{id}")
    @Operation(summary = "A submission and the status of each of its records")
    @APIResponse(responseCode = "200", description = "The submission",
            content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = "The site has no such submission",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SubmissionView> submission(@PathParam("id") String id) {
        String site = caller.site();
        return submissions.find(id).map(found -> {
            // Another site's submission is answered like one that does not exist.
            if (found == null || !found.site().equals(site)) {
                throw new NotFoundException("no submission " + id);
            }
            return SubmissionView.of(found);
        });
    }

    private Uni<Response> accept(RecordKind kind, SiteRecord record) {
        IncomingRecord incoming = new IncomingRecord(kind, record.recordId(), record.patientPseudonym(), record);
        return submissions.accept(caller.site(), caller.subject(), List.of(incoming)).map(submission ->
                links.withLocation(Response.accepted(SubmissionView.of(submission)), SubmissionView.path(submission.id())).build());
    }
}
