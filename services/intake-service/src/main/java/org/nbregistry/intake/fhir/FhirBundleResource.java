package org.nbregistry.intake.fhir;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.nbregistry.intake.fhir.BundleMapper.Mapped;
import org.nbregistry.intake.rest.BatchResource;
import org.nbregistry.intake.rest.SiteCaller;
import org.nbregistry.intake.rest.SiteRecords.SiteRecord;
import org.nbregistry.intake.rest.SubmissionView;
import org.nbregistry.intake.submission.IdempotencyStore;
import org.nbregistry.intake.submission.IdempotencyStore.Stored;
import org.nbregistry.intake.submission.SubmissionService;
import org.nbregistry.intake.submission.SubmissionService.BatchOutcome;
import org.nbregistry.intake.submission.SubmissionService.IncomingRecord;
import org.nbregistry.intake.submission.SubmissionService.RecordOutcome;
import org.nbregistry.intake.submission.SubmissionService.RecordRef;
import org.nbregistry.support.http.PublicLinks;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.Problem.FieldError;
import org.nbregistry.support.problem.ProblemMappers;
import org.nbregistry.support.problem.SecurityProblems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A site's records as a FHIR R4 Bundle (transaction or collection) of mCODE-shaped resources, mapped to the records
 * of the JSON routes (api-specs/fhir/MAPPING.md) and submitted through the same path: same rules, per-record outcome,
 * audit entries that name the bundle. All or nothing: one issue anywhere refuses the whole bundle with an
 * OperationOutcome listing every issue at its FHIRPath location. A retry is answered as the first time when it
 * carries the same Idempotency-Key or, without one, the same Bundle.identifier; without either, records equal to
 * what intake holds are reported unchanged, so nothing is doubled.
 */
@Path("/fhir/Bundle")
@RolesAllowed(SiteCaller.SITE_ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = SiteCaller.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Tag(name = "FHIR")
public class FhirBundleResource {

    static final String OUTCOME_SYSTEM = FhirTerms.REGISTRY + "CodeSystem/record-outcome";
    private static final String REPLAYED = "Idempotency-Replayed";
    /** Keys derived from Bundle.identifier, apart from any Idempotency-Key a site may choose. */
    private static final String IDENTIFIER_KEY = "fhir-bundle:";

    private final FhirJson fhir;
    private final FhirSchema schema;
    private final FhirProfiles profiles;
    private final SubmissionService submissions;
    private final IdempotencyStore idempotency;
    private final Validator validator;
    private final SiteCaller caller;
    private final PublicLinks links;

    public FhirBundleResource(FhirJson fhir, FhirSchema schema, FhirProfiles profiles, SubmissionService submissions, IdempotencyStore idempotency, Validator validator,
                              SiteCaller caller, PublicLinks links) {
        this.fhir = fhir;
        this.schema = schema;
        this.profiles = profiles;
        this.submissions = submissions;
        this.idempotency = idempotency;
        this.validator = validator;
        this.caller = caller;
        this.links = links;
    }

    @POST
    @Consumes(FhirJson.MEDIA_TYPE)
    @Produces(FhirJson.MEDIA_TYPE)
    @Operation(summary = "Submit a patient's history as a FHIR R4 Bundle (mCODE); all records or none, answered with an OperationOutcome")
    @RequestBody(required = true, description = "A transaction or collection Bundle; see api-specs/fhir/MAPPING.md",
            content = @Content(mediaType = FhirJson.MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "Accepted: one information issue per record (ACCEPTED or UNCHANGED); follow the Location for the submission",
            content = @Content(mediaType = FhirJson.MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "Nothing changed (every record as intake holds it), or a retry answered as the first time",
            content = @Content(mediaType = FhirJson.MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", description = "Not a FHIR R4 JSON Bundle: an OperationOutcome",
            content = @Content(mediaType = FhirJson.MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "422", description = "Refused, nothing stored: an OperationOutcome naming every issue by FHIRPath (identifying data, unknown codes, "
            + "profiles, references that do not resolve in the bundle, record rules), or an Idempotency-Key used for another bundle",
            content = @Content(mediaType = FhirJson.MEDIA_TYPE, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    public Uni<Response> submit(@HeaderParam("Idempotency-Key") @Parameter(description = "8-128 letters, digits or . _ : -; without it, Bundle.identifier is the key")
                                String idempotencyKey, String body) {
        String site = caller.site();
        String actor = caller.subject();
        // HAPI's parsing and the mapping are CPU work, too long for the event loop on a large bundle.
        return Uni.createFrom().item(() -> prepare(site, idempotencyKey, body)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(prepared -> {
                    if (prepared.refusal() != null) {
                        return Uni.createFrom().item(prepared.refusal());
                    }
                    if (prepared.key() == null) {
                        return submit(site, actor, prepared);
                    }
                    return idempotency.find(site, prepared.key()).flatMap(earlier -> earlier != null
                            ? Uni.createFrom().item(replay(earlier, prepared))
                            : submit(site, actor, prepared).flatMap(answer -> {
                                String text = (String) answer.getEntity();
                                return idempotency.remember(site, prepared.key(), new Stored(prepared.requestHash(), answer.getStatus(), text))
                                        .map(stored -> stored.body().equals(text) ? answer : replay(stored, prepared));
                            }));
                });
    }

    /**
     * A bundle read, keyed and mapped, ready to submit; or the refusal it earns.
     *
     * @param key the Idempotency-Key, else one derived from Bundle.identifier, else null
     */
    private record Prepared(Response refusal, String key, String requestHash, String label, BundleMapper.Result mapped) {
    }

    private Prepared prepare(String site, String idempotencyKey, String body) {
        Issues issues = new Issues();
        if (idempotencyKey != null && !idempotencyKey.matches(BatchResource.IDEMPOTENCY_KEY)) {
            issues.add(IssueType.VALUE, "Idempotency-Key", "idempotency-key", "must be 8-128 letters, digits or . _ : -");
            return new Prepared(refusal(422, issues), null, null, null, null);
        }
        Bundle bundle = fhir.parse(body, issues);
        if (bundle == null || !issues.isEmpty()) {
            return new Prepared(refusal(bundle == null ? 400 : 422, issues), null, null, null, null);
        }
        schema.check(bundle, issues);
        if (issues.isEmpty()) {
            // Only a bundle of R4's structure is worth the profile check; its issues would repeat the schema's.
            profiles.check(body, bundle.getEntry().stream().map(e -> e.hasFullUrl() ? e.getFullUrl() : null).toList(), issues);
        }
        BundleMapper.Result mapped = new BundleMapper(site, issues).map(bundle);
        if (issues.isEmpty()) {
            checkRules(mapped.records(), issues);
        }
        if (!issues.isEmpty()) {
            return new Prepared(refusal(422, issues), null, null, null, null);
        }
        String key = idempotencyKey != null ? idempotencyKey
                : bundle.hasIdentifier() ? IDENTIFIER_KEY + sha256(bundle.getIdentifier().getSystem() + "|" + bundle.getIdentifier().getValue()) : null;
        return new Prepared(null, key, key == null ? null : sha256(fhir.write(bundle)), label(bundle), mapped);
    }

    private Uni<Response> submit(String site, String actor, Prepared prepared) {
        BundleMapper.Result mapped = prepared.mapped();
        List<IncomingRecord> incoming = mapped.records().stream()
                .map(m -> new IncomingRecord(m.kind(), m.record().recordId(), m.record().patientPseudonym(), m.record())).toList();
        return submissions.putAll(site, actor, prepared.label(), incoming, mapped.withdrawals())
                .map(outcome -> accepted(mapped, outcome));
    }

    /** The rules of the JSON routes, on each mapped record; a record id twice in one bundle is refused as in a batch. */
    private void checkRules(List<Mapped> records, Issues issues) {
        Set<String> seen = new HashSet<>();
        for (Mapped m : records) {
            SiteRecord record = m.record();
            String name = m.kind().recordType() + " " + record.recordId();
            for (ConstraintViolation<SiteRecord> violation : validator.validate(record)) {
                FieldError error = ProblemMappers.fieldError(violation);
                issues.add(IssueType.BUSINESSRULE, m.expression(), error.rule(), name + ": " + error.field() + " " + error.message());
            }
            if (!seen.add(m.kind().recordType() + "/" + record.recordId())) {
                issues.add(IssueType.DUPLICATE, m.expression(), "once-per-bundle", "the bundle already makes " + name);
            }
        }
    }

    private Response accepted(BundleMapper.Result mapped, BatchOutcome outcome) {
        OperationOutcome answer = new OperationOutcome();
        for (int i = 0; i < mapped.records().size(); i++) {
            Mapped m = mapped.records().get(i);
            inform(answer, m.kind().recordType(), m.record().recordId(), outcome.records().get(i), m.expression(), "ACCEPTED");
        }
        List<RecordRef> withdrawals = mapped.withdrawals();
        for (int j = 0; j < withdrawals.size(); j++) {
            RecordOutcome result = outcome.records().get(mapped.records().size() + j);
            if (result.submissionId() != null) {
                RecordRef ref = withdrawals.get(j);
                inform(answer, ref.kind().recordType(), ref.recordId(), result, null, "WITHDRAWN");
            }
        }
        if (!answer.hasIssue()) {
            // An OperationOutcome has at least one issue.
            answer.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL).setDiagnostics("the bundle carries no records");
        }
        String submissionId = outcome.submission() == null ? null : outcome.submission().id();
        Response.ResponseBuilder response = Response.status(submissionId == null ? 200 : 202).type(FhirJson.MEDIA_TYPE).entity(fhir.write(answer));
        return noStore(submissionId == null ? response : response.header(HttpHeaders.LOCATION, links.to(SubmissionView.path(submissionId)))).build();
    }

    /** One record's outcome: ACCEPTED (or WITHDRAWN) in this submission, or UNCHANGED as an earlier one carries it. */
    private static void inform(OperationOutcome answer, String recordType, String recordId, RecordOutcome result, String expression, String changed) {
        String code = result.changed() ? changed : "UNCHANGED";
        var issue = answer.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(recordType + " " + recordId + ": " + code + " in submission " + result.submissionId());
        issue.getDetails().addCoding().setSystem(OUTCOME_SYSTEM).setCode(code);
        issue.getDetails().setText(recordType + "/" + recordId + "@" + result.submissionId());
        if (expression != null) {
            issue.addExpression(expression);
        }
    }

    private Response refusal(int status, Issues issues) {
        return noStore(Response.status(status).type(FhirJson.MEDIA_TYPE).entity(fhir.write(issues.toOutcome()))).build();
    }

    private Response replay(Stored earlier, Prepared prepared) {
        if (!earlier.requestHash().equals(prepared.requestHash())) {
            Issues issues = new Issues();
            issues.add(IssueType.CONFLICT, prepared.key().startsWith(IDENTIFIER_KEY) ? "Bundle.identifier" : "Idempotency-Key", "idempotency-key-reused",
                    "this key answered a different bundle; a new bundle needs a new key (or Bundle.identifier)");
            return refusal(422, issues);
        }
        // The first answer, as it was given; nothing is submitted again.
        return noStore(Response.status(earlier.status()).type(FhirJson.MEDIA_TYPE).entity(earlier.body()).header(REPLAYED, "true")).build();
    }

    /** Patient data is neither cached nor sniffed, as on /v1. */
    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store").header("X-Content-Type-Options", "nosniff");
    }

    /** How the audit trail names the bundle: its identifier (system|value), else its id. */
    private static String label(Bundle bundle) {
        if (bundle.hasIdentifier()) {
            return bundle.getIdentifier().getSystem() + "|" + bundle.getIdentifier().getValue();
        }
        return bundle.getIdPart();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
