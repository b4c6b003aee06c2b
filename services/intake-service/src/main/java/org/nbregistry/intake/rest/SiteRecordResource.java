package org.nbregistry.intake.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
import org.nbregistry.intake.submission.SubmissionService.Outcome;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.ProblemMappers;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.http.PublicLinks;

import java.util.List;

/**
 * A site's records by their natural key (the token's site and the site's own record id): idempotent
 * create-or-correct (PUT), withdrawal (DELETE), and reading its own records. Another site's record ids answer 404,
 * like ids that do not exist; a PUT of such an id creates the caller's own record and leaves the other site's alone.
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
@Tag(name = "Records")
public class SiteRecordResource {

    private static final String CHANGED = "Accepted as a new submission; follow the Location for APPLIED or REJECTED";
    private static final String UNCHANGED = "Nothing to change: the record's latest submission, pending or applied, already says this";
    private static final String MALFORMED = "Malformed JSON, a wrong type, a value outside its code list or an unknown field";
    private static final String BROKEN = "A field breaks a rule, or the body's recordId is not the path's; every broken rule is listed";
    private static final String NOT_FOUND = "The site has no such record";

    private final SubmissionService submissions;
    private final SiteCaller caller;
    private final PublicLinks links;

    public SiteRecordResource(SubmissionService submissions, SiteCaller caller, PublicLinks links) {
        this.submissions = submissions;
        this.caller = caller;
        this.links = links;
    }

    @PUT
    @Path("/patients/{recordId}")
    @Operation(summary = "Create or correct the site's patient by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putPatient(@PathParam("recordId") String recordId, @Valid @NotNull PatientRecord record, UriInfo uri) {
        return put(RecordKind.PATIENT, recordId, record, uri);
    }

    @GET
    @Path("/patients/{recordId}")
    @Operation(summary = "One of the site's patient records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getPatient(@PathParam("recordId") String recordId) {
        return one(RecordKind.PATIENT, recordId);
    }

    @GET
    @Path("/patients")
    @Operation(summary = "The site's patient records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listPatients() {
        return all(RecordKind.PATIENT);
    }

    @DELETE
    @Path("/patients/{recordId}")
    @Operation(summary = "Withdraw the site's patient; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawPatient(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.PATIENT, recordId);
    }

    @PUT
    @Path("/episodes/{recordId}")
    @Operation(summary = "Create or correct the site's episode by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putEpisode(@PathParam("recordId") String recordId, @Valid @NotNull EpisodeRecord record, UriInfo uri) {
        return put(RecordKind.EPISODE, recordId, record, uri);
    }

    @GET
    @Path("/episodes/{recordId}")
    @Operation(summary = "One of the site's episode records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getEpisode(@PathParam("recordId") String recordId) {
        return one(RecordKind.EPISODE, recordId);
    }

    @GET
    @Path("/episodes")
    @Operation(summary = "The site's episode records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listEpisodes() {
        return all(RecordKind.EPISODE);
    }

    @DELETE
    @Path("/episodes/{recordId}")
    @Operation(summary = "Withdraw the site's episode; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawEpisode(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.EPISODE, recordId);
    }

    @PUT
    @Path("/response-assessments/{recordId}")
    @Operation(summary = "Create or correct the site's response assessment by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putResponseAssessment(@PathParam("recordId") String recordId, @Valid @NotNull ResponseAssessmentRecord record, UriInfo uri) {
        return put(RecordKind.RESPONSE_ASSESSMENT, recordId, record, uri);
    }

    @GET
    @Path("/response-assessments/{recordId}")
    @Operation(summary = "One of the site's response assessment records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getResponseAssessment(@PathParam("recordId") String recordId) {
        return one(RecordKind.RESPONSE_ASSESSMENT, recordId);
    }

    @GET
    @Path("/response-assessments")
    @Operation(summary = "The site's response assessment records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listResponseAssessments() {
        return all(RecordKind.RESPONSE_ASSESSMENT);
    }

    @DELETE
    @Path("/response-assessments/{recordId}")
    @Operation(summary = "Withdraw the site's response assessment; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawResponseAssessment(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.RESPONSE_ASSESSMENT, recordId);
    }

    @PUT
    @Path("/follow-ups/{recordId}")
    @Operation(summary = "Create or correct the site's follow-up by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putFollowUp(@PathParam("recordId") String recordId, @Valid @NotNull FollowUpRecord record, UriInfo uri) {
        return put(RecordKind.FOLLOW_UP, recordId, record, uri);
    }

    @GET
    @Path("/follow-ups/{recordId}")
    @Operation(summary = "One of the site's follow-up records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getFollowUp(@PathParam("recordId") String recordId) {
        return one(RecordKind.FOLLOW_UP, recordId);
    }

    @GET
    @Path("/follow-ups")
    @Operation(summary = "The site's follow-up records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listFollowUps() {
        return all(RecordKind.FOLLOW_UP);
    }

    @DELETE
    @Path("/follow-ups/{recordId}")
    @Operation(summary = "Withdraw the site's follow-up; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawFollowUp(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.FOLLOW_UP, recordId);
    }

    @PUT
    @Path("/second-malignancies/{recordId}")
    @Operation(summary = "Create or correct the site's second malignancy by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putSecondMalignancy(@PathParam("recordId") String recordId, @Valid @NotNull SecondMalignancyRecord record, UriInfo uri) {
        return put(RecordKind.SECOND_MALIGNANCY, recordId, record, uri);
    }

    @GET
    @Path("/second-malignancies/{recordId}")
    @Operation(summary = "One of the site's second malignancy records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getSecondMalignancy(@PathParam("recordId") String recordId) {
        return one(RecordKind.SECOND_MALIGNANCY, recordId);
    }

    @GET
    @Path("/second-malignancies")
    @Operation(summary = "The site's second malignancy records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listSecondMalignancies() {
        return all(RecordKind.SECOND_MALIGNANCY);
    }

    @DELETE
    @Path("/second-malignancies/{recordId}")
    @Operation(summary = "Withdraw the site's second malignancy; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawSecondMalignancy(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.SECOND_MALIGNANCY, recordId);
    }

    @PUT
    @Path("/treatments/{recordId}")
    @Operation(summary = "Create or correct the site's treatment line by its record id; the same content again changes nothing")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "400", description = MALFORMED, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = BROKEN, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> putTreatment(@PathParam("recordId") String recordId, @Valid @NotNull TreatmentRecord record, UriInfo uri) {
        return put(RecordKind.TREATMENT, recordId, record, uri);
    }

    @GET
    @Path("/treatments/{recordId}")
    @Operation(summary = "One of the site's treatment line records, as last submitted, with its status")
    @APIResponse(responseCode = "200", description = "The record", content = @Content(schema = @Schema(implementation = SiteRecordView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SiteRecordView> getTreatment(@PathParam("recordId") String recordId) {
        return one(RecordKind.TREATMENT, recordId);
    }

    @GET
    @Path("/treatments")
    @Operation(summary = "The site's treatment line records, by record id")
    @APIResponse(responseCode = "200", description = "The records, withdrawn ones flagged")
    public Uni<List<SiteRecordView>> listTreatments() {
        return all(RecordKind.TREATMENT);
    }

    @DELETE
    @Path("/treatments/{recordId}")
    @Operation(summary = "Withdraw the site's treatment line; the owning service removes it and tells the registry")
    @APIResponse(responseCode = "202", description = CHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "200", description = UNCHANGED, content = @Content(schema = @Schema(implementation = SubmissionView.class)))
    @APIResponse(responseCode = "404", description = NOT_FOUND, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> withdrawTreatment(@PathParam("recordId") String recordId) {
        return withdraw(RecordKind.TREATMENT, recordId);
    }

    private Uni<Response> put(RecordKind kind, String recordId, SiteRecord record, UriInfo uri) {
        if (!recordId.equals(record.recordId())) {
            return Uni.createFrom().item(ProblemMappers.respond(Problem.of("validation", "Record breaks the registry's field rules", 422,
                    "the body's recordId " + record.recordId() + " is not the path's " + recordId + ".",
                    List.of(new Problem.FieldError("recordId", "matches-path", "must be the record id of the path, " + recordId))), uri));
        }
        return submissions.put(caller.site(), caller.subject(), new IncomingRecord(kind, record.recordId(), record.patientPseudonym(), record))
                .map(this::respond);
    }

    private Uni<Response> withdraw(RecordKind kind, String recordId) {
        String site = caller.site();
        return submissions.withdraw(site, caller.subject(), kind, recordId).map(outcome -> {
            if (outcome == null) {
                throw new NotFoundException("site " + site + " has no " + kind.recordType() + " " + recordId);
            }
            return respond(outcome);
        });
    }

    private Uni<SiteRecordView> one(RecordKind kind, String recordId) {
        String site = caller.site();
        return submissions.record(site, kind, recordId).map(found -> {
            if (found == null) {
                throw new NotFoundException("site " + site + " has no " + kind.recordType() + " " + recordId);
            }
            return SiteRecordView.of(found);
        });
    }

    private Uni<List<SiteRecordView>> all(RecordKind kind) {
        return submissions.records(caller.site(), kind).map(found -> found.stream().map(SiteRecordView::of).toList());
    }

    private Response respond(Outcome outcome) {
        Response.ResponseBuilder response = outcome.changed() ? Response.accepted() : Response.ok();
        return links.withLocation(response.entity(SubmissionView.of(outcome.submission())), SubmissionView.path(outcome.submission().id())).build();
    }
}
