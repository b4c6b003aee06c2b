package org.nbregistry.intake.submission;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.intake.submission.Submission.Reason;
import org.nbregistry.intake.submission.Submission.Status;
import org.nbregistry.intake.submission.Submission.SubmittedRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Date;
import java.util.List;

/**
 * Submissions in MongoDB, one document each; only single-document updates, which every MongoDB-wire server makes atomic.
 * A document also carries the submission's effects on the site records and the audit trail until they are written
 * (`completed`), since no write can span the collections atomically.
 */
@ApplicationScoped
public class SubmissionStore {

    private final ReactiveMongoCollection<Document> submissions;

    public SubmissionStore(ReactiveMongoClient client, @ConfigProperty(name = "registry.intake.database", defaultValue = "intake") String database) {
        this.submissions = client.getDatabase(database).getCollection("submissions");
    }

    void createIndexes(@Observes StartupEvent started) {
        submissions.createIndex(Indexes.ascending("published", "receivedAt")).await().indefinitely();
        submissions.createIndex(Indexes.ascending("completed", "receivedAt")).await().indefinitely();
    }

    /** Stores the submission with its effects, not yet completed: one document, so either all of it is there or none. */
    public Uni<Void> insert(Submission submission, SubmissionEffects effects) {
        return submissions.insertOne(toDocument(submission).append("completed", false).append("effects", effectsDocument(effects)))
                .replaceWithVoid();
    }

    /**
     * The effects of submissions received before {@code receivedBefore} and not completed, oldest first. Submissions
     * stored before completion was recorded have no flag and count as completed.
     */
    public Uni<List<SubmissionEffects>> incomplete(Instant receivedBefore, int limit) {
        return submissions.find(Filters.and(Filters.eq("completed", false), Filters.lt("receivedAt", Date.from(receivedBefore))),
                        new FindOptions().sort(Sorts.ascending("receivedAt", "_id")).limit(limit))
                .map(SubmissionStore::effectsOf).collect().asList();
    }

    /** The effects are written: they leave the document, which now holds only the submission and its state. */
    public Uni<Void> markCompleted(String id) {
        return submissions.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("completed", true), Updates.unset("effects")))
                .replaceWithVoid();
    }

    public Uni<Submission> find(String id) {
        return submissions.find(Filters.eq("_id", id)).collect().first().map(doc -> doc == null ? null : fromDocument(doc));
    }

    /** The submissions of these ids that exist, in one query. */
    public Uni<List<Submission>> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return submissions.find(Filters.in("_id", ids)).map(SubmissionStore::fromDocument).collect().asList();
    }

    /**
     * The ids of completed submissions received before {@code receivedBefore} and not yet published, oldest first: what
     * a crash or an outage left behind (an incomplete one is published once the completion sweep completed it). Reads
     * every submission on a server without secondary indexes, so it is a sweep, not the relay's way of finding work.
     */
    public Uni<List<String>> unpublishedIds(Instant receivedBefore) {
        return submissions.find(Filters.and(Filters.eq("published", false), Filters.ne("completed", false),
                                Filters.lt("receivedAt", Date.from(receivedBefore))),
                        new FindOptions().sort(Sorts.ascending("receivedAt", "_id")).projection(Projections.include("_id")))
                .map(d -> d.getString("_id")).collect().asList();
    }

    public Uni<Void> markPublished(Collection<String> ids) {
        return submissions.updateMany(Filters.in("_id", ids),
                Updates.combine(Updates.set("published", true), Updates.set("publishedAt", new Date()))).replaceWithVoid();
    }

    /**
     * Sets the owning service's verdicts on records of one submission in one update, addressing each record by its
     * position (a submission's records never move); repeating it changes nothing.
     *
     * @return the verdicts about a record the submission has
     */
    public Uni<List<Verdict>> recordVerdicts(String submissionId, List<Verdict> verdicts) {
        return submissions.find(Filters.eq("_id", submissionId), new FindOptions().projection(Projections.include(
                        "records.recordType", "records.recordId"))).collect().first()
                .flatMap(doc -> {
                    if (doc == null) {
                        return Uni.createFrom().item(List.of());
                    }
                    List<Document> records = doc.getList("records", Document.class);
                    Map<String, Integer> position = new HashMap<>();
                    for (int i = 0; i < records.size(); i++) {
                        position.put(records.get(i).getString("recordType") + "/" + records.get(i).getString("recordId"), i);
                    }
                    List<Verdict> found = new ArrayList<>();
                    List<Bson> sets = new ArrayList<>();
                    for (Verdict v : verdicts) {
                        Integer at = position.get(v.recordType() + "/" + v.recordId());
                        if (at != null) {
                            found.add(v);
                            sets.add(Updates.set("records." + at + ".status", v.status().name()));
                            sets.add(Updates.set("records." + at + ".reasons", reasonDocs(v.reasons())));
                        }
                    }
                    return sets.isEmpty() ? Uni.createFrom().item(found)
                            : submissions.updateOne(Filters.eq("_id", submissionId), Updates.combine(sets)).replaceWith(found);
                });
    }

    private static List<Document> reasonDocs(List<Reason> reasons) {
        return reasons.stream().map(r -> new Document("field", r.field()).append("rule", r.rule()).append("message", r.message())).toList();
    }

    private static Document toDocument(Submission s) {
        Document d = new Document("_id", s.id())
                .append("site", s.site())
                .append("receivedAt", Date.from(s.receivedAt()))
                .append("published", s.published())
                .append("records", s.records().stream().map(r -> new Document("recordType", r.recordType())
                        .append("recordId", r.recordId())
                        .append("patientPseudonym", r.patientPseudonym())
                        .append("event", r.event())
                        .append("status", r.status().name())
                        .append("reasons", reasonDocs(r.reasons())))
                        .toList());
        if (s.traceParent() != null) {
            d.append("traceParent", s.traceParent());
        }
        return d;
    }

    static Document effectsDocument(SubmissionEffects effects) {
        return new Document("records", effects.records().stream().map(SiteRecordStore::toDocument).toList())
                .append("audit", effects.audit().stream().map(AuditStore::toDocument).toList());
    }

    /** @param d a submission document with its effects */
    static SubmissionEffects effectsOf(Document d) {
        Document effects = d.get("effects", Document.class);
        return new SubmissionEffects(d.getString("_id"),
                effects.getList("records", Document.class).stream().map(SiteRecordStore::fromDocument).toList(),
                effects.getList("audit", Document.class).stream().map(AuditStore::fromDocument).toList());
    }

    private static Submission fromDocument(Document d) {
        List<SubmittedRecord> records = d.getList("records", Document.class).stream().map(r -> new SubmittedRecord(
                r.getString("recordType"), r.getString("recordId"), r.getString("patientPseudonym"), r.getString("event"),
                Status.valueOf(r.getString("status")),
                r.getList("reasons", Document.class).stream()
                        .map(x -> new Reason(x.getString("field"), x.getString("rule"), x.getString("message"))).toList()))
                .toList();
        return new Submission(d.getString("_id"), d.getString("site"), d.getDate("receivedAt").toInstant(), records,
                d.getBoolean("published", false), d.getString("traceParent"));
    }
}
