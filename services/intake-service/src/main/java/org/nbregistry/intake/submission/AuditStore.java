package org.nbregistry.intake.submission;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The audit trail: inserts only. Nothing in intake updates or deletes an entry. Entry ids are derived from the
 * submission, so appending the same entries again (completing a submission a second time) adds nothing.
 */
@ApplicationScoped
public class AuditStore {

    private final ReactiveMongoCollection<Document> entries;

    public AuditStore(ReactiveMongoClient client, @ConfigProperty(name = "registry.intake.database", defaultValue = "intake") String database) {
        this.entries = client.getDatabase(database).getCollection("audit");
    }

    void createIndexes(@Observes StartupEvent started) {
        entries.createIndex(Indexes.ascending("site", "recordType", "recordId", "at")).await().indefinitely();
    }

    /** Inserts each entry that is not there yet: one unordered bulk insert, where an entry already present stops no other. */
    public Uni<Void> append(List<AuditEntry> appended) {
        if (appended.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return entries.insertMany(appended.stream().map(AuditStore::toDocument).toList(), new InsertManyOptions().ordered(false))
                .replaceWithVoid()
                .onFailure(MongoErrors::onlyDuplicateKeys).recoverWithNull();
    }

    /** A site's entries, oldest first, optionally of one record type and record id. */
    public Uni<List<AuditEntry>> ofSite(String site, String recordType, String recordId, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("site", site)));
        if (recordType != null) {
            filters.add(Filters.eq("recordType", recordType));
        }
        if (recordId != null) {
            filters.add(Filters.eq("recordId", recordId));
        }
        return entries.find(Filters.and(filters), new io.quarkus.mongodb.FindOptions().sort(Sorts.ascending("at", "_id")).limit(limit))
                .map(AuditStore::fromDocument).collect().asList();
    }

    static Document toDocument(AuditEntry e) {
        return new Document("_id", e.id()).append("site", e.site()).append("actor", e.actor()).append("at", Date.from(e.at()))
                .append("submissionId", e.submissionId()).append("recordType", e.recordType()).append("recordId", e.recordId())
                .append("patientPseudonym", e.patientPseudonym()).append("change", e.change().name())
                .append("before", e.before()).append("after", e.after()).append("bundle", e.bundle());
    }

    static AuditEntry fromDocument(Document d) {
        return new AuditEntry(d.getString("_id"), d.getString("site"), d.getString("actor"), d.getDate("at").toInstant(),
                d.getString("submissionId"), d.getString("recordType"), d.getString("recordId"), d.getString("patientPseudonym"),
                AuditEntry.Change.valueOf(d.getString("change")), d.get("before", Document.class), d.get("after", Document.class),
                d.getString("bundle"));
    }
}
