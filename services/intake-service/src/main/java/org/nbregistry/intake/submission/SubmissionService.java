package org.nbregistry.intake.submission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.nbregistry.intake.submission.AuditEntry.Change;
import org.nbregistry.intake.submission.SiteRecordState.Action;
import org.nbregistry.intake.submission.Submission.Status;
import org.nbregistry.intake.submission.Submission.SubmittedRecord;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.tracing.TraceParent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts validated records as one submission: stored first (the submission is the outbox), then published by the
 * relay. Each accepted change also updates the site's record and appends to the audit trail; the submission document
 * carries both until {@link SubmissionCompletion} has written them, so the caller's answer means all of it is stored
 * or will be. A PUT, a batch record or a DELETE that repeats the record's latest pending or applied change publishes
 * nothing.
 */
@ApplicationScoped
public class SubmissionService {

    public static final String SOURCE = "intake-service";
    static final String WITHDRAWAL_SUBMITTED = "WithdrawalSubmitted";

    /** A validated record on its way in: what it is and its payload without submissionId. */
    public record IncomingRecord(RecordKind kind, String recordId, String patientPseudonym, Object payload) {
    }

    /** A site's record by its type and the site's own id. */
    public record RecordRef(RecordKind kind, String recordId) {
    }

    /** What a PUT or DELETE did: the submission that carries the record's latest change, and whether it is new. */
    public record Outcome(Submission submission, boolean changed) {
    }

    /** What a batch did: the new submission (null when nothing changed) and, per record, whether it changed. */
    public record BatchOutcome(Submission submission, List<RecordOutcome> records) {
    }

    /** @param submissionId the submission carrying the record's latest change: the new one, or the earlier one it repeats */
    public record RecordOutcome(boolean changed, String submissionId) {
    }

    private final SubmissionStore store;
    private final SiteRecordStore siteRecords;
    private final SubmissionCompletion completion;
    private final SubmissionRelay relay;

    public SubmissionService(SubmissionStore store, SiteRecordStore siteRecords, SubmissionCompletion completion, SubmissionRelay relay) {
        this.store = store;
        this.siteRecords = siteRecords;
        this.completion = completion;
        this.relay = relay;
    }

    /** POST: every record goes to its owning service again, changed or not. */
    public Uni<Submission> accept(String site, String actor, List<IncomingRecord> incoming) {
        return currentStates(site, incoming).flatMap(current -> {
            List<PendingChange> changes = new ArrayList<>();
            for (int i = 0; i < incoming.size(); i++) {
                changes.add(submitted(site, incoming.get(i), current.get(i)));
            }
            return store(site, actor, null, changes);
        });
    }

    /** PUT: creates or corrects a record; the same content again changes nothing. */
    public Uni<Outcome> put(String site, String actor, IncomingRecord record) {
        return putAll(site, actor, List.of(record)).flatMap(batch -> batch.submission() != null
                ? Uni.createFrom().item(new Outcome(batch.submission(), true))
                : store.find(batch.records().get(0).submissionId()).map(earlier -> new Outcome(earlier, false)));
    }

    /** A batch: the records that change something go out together as one submission; the others are reported unchanged. */
    public Uni<BatchOutcome> putAll(String site, String actor, List<IncomingRecord> incoming) {
        return putAll(site, actor, null, incoming, List.of());
    }

    /**
     * A batch that came in a FHIR Bundle: as {@link #putAll(String, String, List)}, and the withdrawals the bundle asks
     * for go out in the same submission; the audit entries name the bundle. A withdrawal of a record intake never
     * received from this site, or that is withdrawn already, changes nothing.
     */
    public Uni<BatchOutcome> putAll(String site, String actor, String bundle, List<IncomingRecord> incoming, List<RecordRef> withdrawals) {
        List<IncomingRecord> all = new ArrayList<>(incoming);
        withdrawals.forEach(w -> all.add(new IncomingRecord(w.kind(), w.recordId(), null, null)));
        return currentStates(site, all).flatMap(current -> {
            List<PendingChange> changes = new ArrayList<>();
            List<Integer> changedAt = new ArrayList<>();
            List<RecordOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                SiteRecordState now = current.get(i);
                if (i >= incoming.size()) {
                    PendingChange withdrawal = now == null || now.isPendingOrApplied(Action.WITHDRAWN) ? null
                            : withdrawal(site, all.get(i).kind(), all.get(i).recordId(), now);
                    if (withdrawal == null) {
                        outcomes.add(new RecordOutcome(false, now == null ? null : now.submissionId()));
                    } else {
                        changes.add(withdrawal);
                        changedAt.add(i);
                        outcomes.add(null);
                    }
                    continue;
                }
                PendingChange change = submitted(site, incoming.get(i), now);
                if (now != null && now.isPendingOrApplied(Action.SUBMITTED) && now.contentHash().equals(hash(change.data()))) {
                    outcomes.add(new RecordOutcome(false, now.submissionId()));
                } else {
                    changes.add(change);
                    changedAt.add(i);
                    outcomes.add(null);
                }
            }
            if (changes.isEmpty()) {
                return Uni.createFrom().item(new BatchOutcome(null, outcomes));
            }
            return store(site, actor, bundle, changes).map(submission -> {
                changedAt.forEach(i -> outcomes.set(i, new RecordOutcome(true, submission.id())));
                return new BatchOutcome(submission, outcomes);
            });
        });
    }

    /** DELETE: withdraws a record the site submitted; null when intake never received it from this site. */
    public Uni<Outcome> withdraw(String site, String actor, RecordKind kind, String recordId) {
        return siteRecords.find(site, kind.recordType(), recordId).flatMap(current -> {
            if (current == null) {
                return Uni.createFrom().nullItem();
            }
            if (current.isPendingOrApplied(Action.WITHDRAWN)) {
                return store.find(current.submissionId()).map(submission -> new Outcome(submission, false));
            }
            return store(site, actor, null, List.of(withdrawal(site, kind, recordId, current)))
                    .map(submission -> new Outcome(submission, true));
        });
    }

    public Uni<Submission> find(String id) {
        return store.find(id);
    }

    public Uni<SiteRecordState> record(String site, RecordKind kind, String recordId) {
        return siteRecords.find(site, kind.recordType(), recordId);
    }

    public Uni<List<SiteRecordState>> records(String site, RecordKind kind) {
        return siteRecords.list(site, kind.recordType());
    }

    /** One record's change on its way out: the event that carries it, what the site record becomes, what it was. */
    private record PendingChange(RecordKind kind, String eventType, String recordId, String patientPseudonym, ObjectNode data,
                                 Action action, SiteRecordState previous) {
    }

    private static PendingChange withdrawal(String site, RecordKind kind, String recordId, SiteRecordState current) {
        ObjectNode withdrawal = (ObjectNode) EventCodec.toTree(Map.of("site", site, "recordType", kind.recordType(),
                "recordId", recordId, "patientPseudonym", current.patientPseudonym()));
        return new PendingChange(kind, WITHDRAWAL_SUBMITTED, recordId, current.patientPseudonym(), withdrawal, Action.WITHDRAWN, current);
    }

    /** The event data: the caller's site first, then the record as the site sent it. */
    private static PendingChange submitted(String site, IncomingRecord record, SiteRecordState previous) {
        ObjectNode data = (ObjectNode) EventCodec.toTree(Map.of("site", site));
        data.setAll((ObjectNode) EventCodec.toTree(record.payload()));
        return new PendingChange(record.kind(), record.kind().submittedEvent(), record.recordId(), record.patientPseudonym(),
                data, Action.SUBMITTED, previous);
    }

    /** The site's current record for each incoming one (null where there is none), in order; one query. */
    private Uni<List<SiteRecordState>> currentStates(String site, List<IncomingRecord> incoming) {
        List<String> keys = incoming.stream().map(r -> SiteRecordStore.key(site, r.kind().recordType(), r.recordId())).toList();
        return siteRecords.findAll(keys).map(found -> keys.stream().map(found::get).toList());
    }

    /**
     * @param actor  who made the changes: the subject of the caller's token
     * @param bundle the FHIR Bundle the changes came in, or null
     */
    private Uni<Submission> store(String site, String actor, String bundle, List<PendingChange> changes) {
        String submissionId = UUID.randomUUID().toString();
        // Mongo stores milliseconds; truncating here keeps the answer equal to what a later read returns.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<SubmittedRecord> records = changes.stream().map(change -> {
            ObjectNode data = change.data().deepCopy();
            data.put("submissionId", submissionId);
            String event = EventCodec.write(EventEnvelope.of(change.eventType(), SOURCE, change.patientPseudonym(), submissionId, data));
            return new SubmittedRecord(change.kind().recordType(), change.recordId(), change.patientPseudonym(), event,
                    Status.ACCEPTED, List.of());
        }).toList();
        Submission submission = new Submission(submissionId, site, now, records, false, TraceParent.current());
        List<SiteRecordState> states = new ArrayList<>();
        List<AuditEntry> entries = new ArrayList<>();
        for (PendingChange change : changes) {
            boolean withdrawal = change.action() == Action.WITHDRAWN;
            SiteRecordState previous = change.previous();
            // What the record was: nothing if it never existed or had been withdrawn.
            Document before = previous == null || previous.withdrawn() ? null : previous.content();
            Document after = withdrawal ? null : Document.parse(change.data().toString());
            // A withdrawn record keeps its last content, so the site still sees what it withdrew.
            states.add(new SiteRecordState(site, change.kind().recordType(), change.recordId(), change.patientPseudonym(),
                    withdrawal ? previous.content() : after, withdrawal ? null : hash(change.data()), change.action(), submissionId,
                    Status.ACCEPTED, List.of(), now));
            Change what = withdrawal ? Change.WITHDRAWN : before == null ? Change.CREATED : Change.CORRECTED;
            // The id follows from the submission, so completing it again appends nothing; padded, so a submission's
            // entries (all at the same instant) list in the order they were sent.
            entries.add(new AuditEntry("%s/%03d".formatted(submissionId, entries.size()), site, actor, now, submissionId, change.kind().recordType(),
                    change.recordId(), change.patientPseudonym(), what, before, after, bundle));
        }
        SubmissionEffects effects = new SubmissionEffects(submissionId, states, entries);
        // Published once complete: an owning service's verdict then always finds the site record it updates.
        return store.insert(submission, effects)
                .chain(() -> completion.complete(effects))
                .invoke(() -> relay.requestPublish(submission))
                .replaceWith(submission);
    }

    /** Jackson writes a record's components in declaration order, so equal content gives an equal text. */
    static String hash(ObjectNode content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
