package org.nbregistry.intake.submission;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    public static String key(String site, String recordType, String recordId) {
        return site + "/" + recordType + "/" + recordId;
    }

    /**
     * Writes each state unless the stored one came from the same or a later submission (ordered by receipt time, then
     * id), so completing a submission again, or an older one late, never undoes a newer change. One unordered bulk
     * write for all of them.
     */
    public Uni<Void> saveAllIfNewer(List<SiteRecordState> states) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ReplaceOneModel<Document>> writes = states.stream().map(state -> {
            Date at = Date.from(state.updatedAt());
            Bson storedIsOlder = Filters.or(Filters.lt("updatedAt", at),
                    Filters.and(Filters.eq("updatedAt", at), Filters.lt("submissionId", state.submissionId())));
            return new ReplaceOneModel<>(Filters.and(Filters.eq("_id", key(state.site(), state.recordType(), state.recordId())),
                    storedIsOlder), toDocument(state), new ReplaceOptions().upsert(true));
        }).toList();
        return records.bulkWrite(writes, new BulkWriteOptions().ordered(false)).replaceWithVoid()
                // A record that exists and is not older: the upsert's insert collides with it, and it stays as it is.
                .onFailure(MongoErrors::onlyDuplicateKeys).recoverWithNull();
    }

    public Uni<SiteRecordState> find(String site, String recordType, String recordId) {
        return records.find(Filters.eq("_id", key(site, recordType, recordId))).collect().first()
                .map(doc -> doc == null ? null : fromDocument(doc));
    }

    /** The site's current records of the given kinds and ids in one query, by {@link #key}; absent ones are missing. */
    public Uni<Map<String, SiteRecordState>> findAll(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return records.find(Filters.in("_id", new LinkedHashSet<>(keys))).collect().asList()
                .map(docs -> docs.stream().collect(Collectors.toMap(d -> d.getString("_id"), SiteRecordStore::fromDocument)));
    }

    public Uni<List<SiteRecordState>> list(String site, String recordType) {
        return records.find(Filters.and(Filters.eq("site", site), Filters.eq("recordType", recordType)),
                        new io.quarkus.mongodb.FindOptions().sort(Sorts.ascending("recordId")))
                .map(SiteRecordStore::fromDocument).collect().asList();
    }

    /** The owning service's verdicts, each kept only when it is about the record's latest submission; one bulk write. */
    public Uni<Void> recordVerdicts(List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UpdateOneModel<Document>> writes = verdicts.stream().map(v -> new UpdateOneModel<Document>(
                Filters.and(Filters.eq("_id", key(v.site(), v.recordType(), v.recordId())), Filters.eq("submissionId", v.submissionId())),
                Updates.combine(Updates.set("status", v.status().name()), Updates.set("reasons", reasonDocs(v.reasons()))))).toList();
        return records.bulkWrite(writes, new BulkWriteOptions().ordered(false)).replaceWithVoid();
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
