package org.nbregistry.intake.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.intake.submission.AuditEntry;
import org.nbregistry.intake.submission.AuditStore;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The audit trail of the caller's site: every accepted change of its records, oldest first. */
@Path("/v1/audit")
@RolesAllowed(SiteCaller.SITE_ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = SiteCaller.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Records")
public class AuditResource {

    /**
     * One change: who (the subject of the token that made it, for the site), when, what it was and became, and the
     * submission whose status shows the owning service's verdict.
     */
    public record AuditEntryView(Instant at, String site, String actor, String submissionId, String recordType, String recordId, String patientPseudonym,
                                 String change, Map<String, Object> before, Map<String, Object> after,
                                 @Schema(description = "The FHIR Bundle the change came in (POST /fhir/Bundle): its identifier, else its id; null for the JSON routes")
                                 String bundle) {
    }

    private final AuditStore audit;
    private final SiteCaller caller;

    public AuditResource(AuditStore audit, SiteCaller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The changes, oldest first")
    @Operation(summary = "The site's audit trail, optionally of one record type and record id")
    public Uni<List<AuditEntryView>> trail(@QueryParam("recordType") @Pattern(regexp = "^(patient|episode|response-assessment|follow-up|second-malignancy|treatment)$") String recordType,
                                           @QueryParam("recordId") @Pattern(regexp = SiteRecords.RECORD_ID) String recordId,
                                           @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        return audit.ofSite(caller.site(), recordType, recordId, limit).map(entries -> entries.stream().map(AuditResource::view).toList());
    }

    private static AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.at(), e.site(), e.actor(), e.submissionId(), e.recordType(), e.recordId(), e.patientPseudonym(),
                e.change().name().toLowerCase(), e.before(), e.after(), e.bundle());
    }
}
