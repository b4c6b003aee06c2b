package org.nbregistry.intake.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.intake.submission.AuditEntry;
import org.nbregistry.intake.submission.AuditStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A site's audit trail: every accepted change of its records, oldest first. Until sites authenticate, `site` names the site. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Records")
public class AuditResource {

    /** One change: who, when, what it was and became, and the submission whose status shows the owning service's verdict. */
    public record AuditEntryView(Instant at, String actor, String submissionId, String recordType, String recordId, String patientPseudonym,
                                 String change, Map<String, Object> before, Map<String, Object> after) {
    }

    private final AuditStore audit;

    public AuditResource(AuditStore audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "The site's audit trail, optionally of one record type and record id")
    public Uni<List<AuditEntryView>> trail(@QueryParam("site") @NotBlank @Pattern(regexp = SiteRecords.SITE) String site,
                                           @QueryParam("recordType") @Pattern(regexp = "^(patient|episode|response-assessment|follow-up|second-malignancy|treatment)$") String recordType,
                                           @QueryParam("recordId") @Pattern(regexp = SiteRecords.RECORD_ID) String recordId,
                                           @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        return audit.ofSite(site, recordType, recordId, limit).map(entries -> entries.stream().map(AuditResource::view).toList());
    }

    private static AuditEntryView view(AuditEntry e) {
        return new AuditEntryView(e.at(), e.actor(), e.submissionId(), e.recordType(), e.recordId(), e.patientPseudonym(),
                e.change().name().toLowerCase(), e.before(), e.after());
    }
}
