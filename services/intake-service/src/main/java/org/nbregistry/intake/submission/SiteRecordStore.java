package org.nbregistry.intake.submission;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
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
import org.nbregistry.intake.submission.SiteRecordState.Action;

import java.util.Date;
import java.util.List;

/**
 * Each site's records by natural key (site, record type, record id), one document each, so a site can list and read
 * its own records and intake can tell a repeated PUT from a change. Written when the submission that carries the
 * change is completed (the submission is the outbox); the owning service's verdict updates it when it is about its
 * latest change.
 */
@ApplicationScoped
public class SiteRecordStore {

    private final ReactiveMongoCollection<Document> records;

    public SiteRecordStore(ReactiveMongoClient client, @ConfigProperty(name = "registry.intake.database", defaultValue = "intake") String database) {
        this.records = client.getDatabase(database).getCollection("records");
    }

    void createIndexes(@Observes StartupEvent started) {
        records.createIndex(Indexes.ascending("site", "recordType", "recordId")).await().indefinitely();
    }

    static String key(String site, String recordType, String recordId) {
        return site + "/" + recordType + "/" + recordId;
    }

    /**
     * Writes the state unless the stored one came from the same or a later submission (ordered by receipt time, then
     * id), so completing a submission again, or an older one late, never undoes a newer change.
     */
    public Uni<Void> saveIfNewer(SiteRecordState state) {
        Date at = Date.from(state.updatedAt());
        Bson storedIsOlder = Filters.or(Filters.lt("updatedAt", at),
                Filters.and(Filters.eq("updatedAt", at), Filters.lt("submissionId", state.submissionId())));
        return records.replaceOne(Filters.and(Filters.eq("_id", key(state.site(), state.recordType(), state.recordId())), storedIsOlder),
                        toDocument(state), new ReplaceOptions().upsert(true))
                .replaceWithVoid()
                // The record exists and is not older: the upsert's insert collides with it, and it stays as it is.
                .onFailure(MongoErrors::isDuplicateKey).recoverWithNull();
    }

    public Uni<SiteRecordState> find(String site, String recordType, String recordId) {
        return records.find(Filters.eq("_id", key(site, recordType, recordId))).collect().first()
                .map(doc -> doc == null ? null : fromDocument(doc));
    }

    public Uni<List<SiteRecordState>> list(String site, String recordType) {
        return records.find(Filters.and(Filters.eq("site", site), Filters.eq("recordType", recordType)),
                        new io.quarkus.mongodb.FindOptions().sort(Sorts.ascending("recordId")))
                .map(SiteRecordStore::fromDocument).collect().asList();
    }

    /** The owning service's verdict, kept only when it is about the record's latest submission. */
    public Uni<Void> recordVerdict(String submissionId, String site, String recordType, String recordId, Status status, List<Reason> reasons) {
        return records.updateOne(Filters.and(Filters.eq("_id", key(site, recordType, recordId)), Filters.eq("submissionId", submissionId)),
                Updates.combine(Updates.set("status", status.name()), Updates.set("reasons", reasonDocs(reasons)))).replaceWithVoid();
    }

    static Document toDocument(SiteRecordState s) {
        return new Document("_id", key(s.site(), s.recordType(), s.recordId()))
                .append("site", s.site())
                .append("recordType", s.recordType())
                .append("recordId", s.recordId())
                .append("patientPseudonym", s.patientPseudonym())
                .append("content", s.content())
                .append("contentHash", s.contentHash())
                .append("lastAction", s.lastAction().name())
                .append("submissionId", s.submissionId())
                .append("status", s.status().name())
                .append("reasons", reasonDocs(s.reasons()))
                .append("updatedAt", Date.from(s.updatedAt()));
    }

    private static List<Document> reasonDocs(List<Reason> reasons) {
        return reasons.stream().map(r -> new Document("field", r.field()).append("rule", r.rule()).append("message", r.message())).toList();
    }

    static SiteRecordState fromDocument(Document d) {
        return new SiteRecordState(d.getString("site"), d.getString("recordType"), d.getString("recordId"), d.getString("patientPseudonym"),
                d.get("content", Document.class), d.getString("contentHash"), Action.valueOf(d.getString("lastAction")),
                d.getString("submissionId"), Status.valueOf(d.getString("status")),
                d.getList("reasons", Document.class).stream()
                        .map(x -> new Reason(x.getString("field"), x.getString("rule"), x.getString("message"))).toList(),
                d.getDate("updatedAt").toInstant());
    }
}
