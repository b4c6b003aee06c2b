package org.nbregistry.analytics.projection;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.analytics.projection.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.projection.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.List;

/** Patient histories in MongoDB, replaced whole with an optimistic version check. */
@ApplicationScoped
public class ProjectionStore {

    private final ReactiveMongoCollection<Document> patients;

    public ProjectionStore(ReactiveMongoClient client,
                           @ConfigProperty(name = "registry.analytics.database", defaultValue = "analytics") String database) {
        this.patients = client.getDatabase(database).getCollection("patients");
    }

    public Uni<PatientHistory> find(String pseudonym) {
        return patients.find(Filters.eq("_id", pseudonym)).collect().first()
                .map(doc -> doc == null ? PatientHistory.empty(pseudonym) : fromDocument(doc));
    }

    public Uni<List<PatientHistory>> all() {
        return patients.find().map(ProjectionStore::fromDocument).collect().asList();
    }

    /**
     * Stores the next version of a history read at {@code previous.version()}. False when someone else wrote it in
     * between (the caller re-reads and re-applies).
     */
    public Uni<Boolean> replace(PatientHistory previous, PatientHistory next) {
        Document doc = toDocument(next);
        if (previous.version() == 0) {
            return patients.insertOne(doc).replaceWith(true)
                    .onFailure(ProjectionStore::isDuplicateKey).recoverWithItem(false);
        }
        return patients.replaceOne(Filters.and(Filters.eq("_id", previous.pseudonym()), Filters.eq("version", previous.version())),
                doc, new ReplaceOptions()).map(result -> result.getMatchedCount() == 1);
    }

    private static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private static Document toDocument(PatientHistory h) {
        return new Document("_id", h.pseudonym())
                .append("version", h.version())
                .append("lastFollowUpDate", text(h.lastFollowUpDate()))
                .append("deathDate", text(h.deathDate()))
                .append("appliedEventIds", h.appliedEventIds())
                .append("episodes", h.episodes().stream().map(e -> new Document("episodeId", e.episodeId())
                        .append("site", e.site()).append("recordId", e.recordId()).append("episodeType", e.episodeType())
                        .append("episodeDate", text(e.episodeDate())).append("episodeOrder", e.episodeOrder())).toList())
                .append("treatments", h.treatments().stream().map(t -> new Document("treatmentId", t.treatmentId())
                        .append("site", t.site()).append("recordId", t.recordId()).append("episodeRecordId", t.episodeRecordId())
                        .append("category", t.category()).append("startDate", text(t.startDate()))).toList());
    }

    private static PatientHistory fromDocument(Document d) {
        return new PatientHistory(d.getString("_id"), ((Number) d.get("version")).longValue(),
                d.getList("episodes", Document.class).stream().map(e -> new EpisodeFacts(e.getString("episodeId"), e.getString("site"),
                        e.getString("recordId"), e.getString("episodeType"), date(e.getString("episodeDate")),
                        e.getInteger("episodeOrder"))).toList(),
                d.getList("treatments", Document.class).stream().map(t -> new TreatmentFacts(t.getString("treatmentId"),
                        t.getString("site"), t.getString("recordId"), t.getString("episodeRecordId"), t.getString("category"),
                        date(t.getString("startDate")))).toList(),
                date(d.getString("lastFollowUpDate")), date(d.getString("deathDate")),
                List.copyOf(d.getList("appliedEventIds", String.class)));
    }

    private static String text(LocalDate date) {
        return date == null ? null : date.toString();
    }

    private static LocalDate date(String text) {
        return text == null ? null : LocalDate.parse(text);
    }
}
