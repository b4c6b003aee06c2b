package org.nbregistry.intake.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
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
import org.nbregistry.intake.submission.IdempotencyStore;
import org.nbregistry.intake.submission.IdempotencyStore.Stored;
import org.nbregistry.intake.submission.RecordKind;
import org.nbregistry.intake.submission.SubmissionService;
import org.nbregistry.intake.submission.SubmissionService.BatchOutcome;
import org.nbregistry.intake.submission.SubmissionService.IncomingRecord;
import org.nbregistry.support.json.InputRuleException;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.Problem.FieldError;
import org.nbregistry.support.problem.ProblemMappers;
import org.nbregistry.support.problem.SecurityProblems;
import org.nbregistry.support.http.PublicLinks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many records in one request, each accepted or refused on its own: the valid ones that change something go to the
 * owning service as one submission; a record equal to its latest pending or applied version is reported unchanged;
 * an invalid one is reported with the same field errors as its single-record endpoint. With an Idempotency-Key, a
 * retried request is answered as the first time and changes nothing. Every record is the site's of the caller's
 * token; keys are the site's own, so two sites never share an Idempotency-Key.
 */
@Path("/v1/batches")
@RolesAllowed(SiteCaller.SITE_ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = SiteCaller.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Submissions")
public class BatchResource {

    static final int MAX_RECORDS = 500;
    public static final String IDEMPOTENCY_KEY = "^[A-Za-z0-9._:-]{8,128}$";
    static final String REPLAYED = "Idempotency-Replayed";

    private static final Map<RecordKind, Class<? extends SiteRecord>> RECORD_CLASSES = Map.of(
            RecordKind.PATIENT, PatientRecord.class, RecordKind.EPISODE, EpisodeRecord.class,
            RecordKind.RESPONSE_ASSESSMENT, ResponseAssessmentRecord.class, RecordKind.FOLLOW_UP, FollowUpRecord.class,
            RecordKind.SECOND_MALIGNANCY, SecondMalignancyRecord.class, RecordKind.TREATMENT, TreatmentRecord.class);

    /** @param record the record, exactly as its single-record endpoint takes it */
    public record BatchEntry(
            @NotNull @Pattern(regexp = "^(patient|episode|response-assessment|follow-up|second-malignancy|treatment)$",
                    message = "must be patient, episode, response-assessment, follow-up, second-malignancy or treatment") String recordType,
            @NotNull @Schema(oneOf = {PatientRecord.class, EpisodeRecord.class, ResponseAssessmentRecord.class, FollowUpRecord.class,
                    SecondMalignancyRecord.class, TreatmentRecord.class}) Map<String, Object> record) {
    }

    public record BatchRequest(
            @NotEmpty @Size(max = MAX_RECORDS) @JsonDeserialize(using = AtMostMaxRecords.class) List<@Valid @NotNull BatchEntry> records) {
    }

    /** Stops at the first record over the limit, so an oversized batch is refused before it is read whole. */
    static final class AtMostMaxRecords extends StdDeserializer<List<BatchEntry>> {

        AtMostMaxRecords() {
            super(List.class);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<BatchEntry> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.isExpectedStartArrayToken()) {
                return (List<BatchEntry>) context.handleUnexpectedToken(List.class, parser);
            }
            List<BatchEntry> entries = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (entries.size() == MAX_RECORDS) {
                    throw new InputRuleException(parser, List.class, "size", "must hold at most " + MAX_RECORDS + " records; split the batch");
                }
                try {
                    entries.add(parser.currentToken() == JsonToken.VALUE_NULL ? null : context.readValue(parser, BatchEntry.class));
                } catch (JsonMappingException e) {
                    throw JsonMappingException.wrapWithPath(e, entries, entries.size());
                }
            }
            return entries;
        }
    }

    public enum BatchRecordOutcome { ACCEPTED, UNCHANGED, INVALID }

    /** @param submissionId the submission carrying the record: the batch's own, or the earlier one an unchanged record repeats */
    public record BatchRecordView(int index, String recordType, String recordId, BatchRecordOutcome outcome, String submissionId, List<FieldError> errors) {
    }

    /**
     * @param submissionId the batch's submission; absent when no record changed anything
     * @param site         the caller's site, whose records these are
     */
    public record BatchView(String submissionId, String site, List<BatchRecordView> records) {
    }

    private final SubmissionService submissions;
    private final IdempotencyStore idempotency;
    private final Validator validator;
    private final ObjectMapper mapper;
    private final SiteCaller caller;
    private final PublicLinks links;

    public BatchResource(SubmissionService submissions, IdempotencyStore idempotency, Validator validator, ObjectMapper mapper,
                         SiteCaller caller, PublicLinks links) {
        this.links = links;
        this.submissions = submissions;
        this.idempotency = idempotency;
        this.validator = validator;
        this.mapper = mapper;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Submit many records at once, each accepted or refused on its own; retry safely with an Idempotency-Key")
    @APIResponse(responseCode = "202", description = "At least one record was accepted; follow the Location for the submission",
            content = @Content(schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "200", description = "Nothing new was accepted (records unchanged or invalid), or a retry answered as the first time",
            content = @Content(schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or an unknown field in the batch envelope",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The batch envelope breaks a rule, or the Idempotency-Key was used for a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> submit(@HeaderParam("Idempotency-Key") @Pattern(regexp = IDEMPOTENCY_KEY,
                                        message = "must be 8-128 letters, digits or . _ : -") String idempotencyKey,
                                @Valid @NotNull BatchRequest batch, UriInfo uri) {
        String site = caller.site();
        String actor = caller.subject();
        if (idempotencyKey == null) {
            return process(site, actor, batch, uri).map(BatchResource::toResponse);
        }
        String requestHash = hash(batch);
        return idempotency.find(site, idempotencyKey).flatMap(earlier -> {
            if (earlier != null) {
                return Uni.createFrom().item(replay(earlier, requestHash, idempotencyKey, uri));
            }
            return process(site, actor, batch, uri)
                    .flatMap(answer -> idempotency.remember(site, idempotencyKey, new Stored(requestHash, answer.status(), json(answer.view())))
                            .map(stored -> stored.body().equals(json(answer.view())) ? toResponse(answer) : replay(stored, requestHash, idempotencyKey, uri)));
        });
    }

    /** The answer to a request before it is stored under its key. */
    private record Answer(int status, BatchView view, String location) {
    }

    private Uni<Answer> process(String site, String actor, BatchRequest batch, UriInfo uri) {
        List<BatchRecordView> views = new ArrayList<>();
        List<IncomingRecord> valid = new ArrayList<>();
        List<Integer> validAt = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < batch.records().size(); i++) {
            BatchEntry entry = batch.records().get(i);
            String prefix = "records[" + i + "].record.";
            RecordKind kind = RecordKind.ofRecordType(entry.recordType()).orElseThrow();
            Object recordId = entry.record().get("recordId");
            List<FieldError> errors = new ArrayList<>();
            SiteRecord record = null;
            try {
                record = mapper.convertValue(entry.record(), RECORD_CLASSES.get(kind));
            } catch (IllegalArgumentException unreadable) {
                FieldError error = unreadable.getCause() instanceof JsonMappingException e ? ProblemMappers.fieldError(e)
                        : new FieldError("(record)", "format", unreadable.getMessage());
                errors.add(new FieldError(prefix + error.field(), error.rule(), error.message()));
            }
            if (record != null) {
                for (ConstraintViolation<SiteRecord> violation : validator.validate(record)) {
                    FieldError error = ProblemMappers.fieldError(violation);
                    errors.add(new FieldError(prefix + error.field(), error.rule(), error.message()));
                }
                if (!seen.add(kind.recordType() + "/" + record.recordId())) {
                    errors.add(new FieldError(prefix + "recordId", "once-per-batch", "the batch already has this " + kind.recordType()));
                }
            }
            errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::rule));
            views.add(new BatchRecordView(i, kind.recordType(), recordId instanceof String s ? s : null,
                    errors.isEmpty() ? null : BatchRecordOutcome.INVALID, null, errors));
            if (errors.isEmpty()) {
                valid.add(new IncomingRecord(kind, record.recordId(), record.patientPseudonym(), record));
                validAt.add(i);
            }
        }
        if (valid.isEmpty()) {
            return Uni.createFrom().item(new Answer(200, new BatchView(null, site, views), null));
        }
        return submissions.putAll(site, actor, valid).map(outcome -> answer(site, views, validAt, outcome));
    }

    private Answer answer(String site, List<BatchRecordView> views, List<Integer> validAt, BatchOutcome outcome) {
        for (int j = 0; j < validAt.size(); j++) {
            int i = validAt.get(j);
            BatchRecordView v = views.get(i);
            var result = outcome.records().get(j);
            views.set(i, new BatchRecordView(v.index(), v.recordType(), v.recordId(), result.changed() ? BatchRecordOutcome.ACCEPTED : BatchRecordOutcome.UNCHANGED,
                    result.submissionId(), List.of()));
        }
        String submissionId = outcome.submission() == null ? null : outcome.submission().id();
        String location = submissionId == null ? null : links.to(SubmissionView.path(submissionId));
        return new Answer(submissionId == null ? 200 : 202, new BatchView(submissionId, site, views), location);
    }

    private Response replay(Stored earlier, String requestHash, String key, UriInfo uri) {
        if (!earlier.requestHash().equals(requestHash)) {
            return ProblemMappers.respond(Problem.of("idempotency-key-reused", "Idempotency-Key already used for another request", 422,
                    "Idempotency-Key " + key + " answered a different batch; use a new key for a new batch.",
                    List.of(new FieldError("Idempotency-Key", "idempotency-key-reused", "was used for a different request"))), uri);
        }
        // The first answer, as it was given; nothing is submitted again.
        return Response.status(earlier.status()).type(MediaType.APPLICATION_JSON).entity(earlier.body()).header(REPLAYED, "true").build();
    }

    private static Response toResponse(Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.view());
        // A plain header: JAX-RS would resolve a relative Location against the request's Host.
        return answer.location() == null ? response.build() : response.header(HttpHeaders.LOCATION, answer.location()).build();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request's fingerprint for its Idempotency-Key: object members in name order, since JSON objects are unordered
     * and a client's retry may write them in another order; arrays keep theirs.
     */
    private String hash(BatchRequest batch) {
        try {
            byte[] canonical = mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(batch);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
