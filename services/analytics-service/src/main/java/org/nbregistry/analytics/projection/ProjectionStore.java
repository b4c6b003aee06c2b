package org.nbregistry.analytics.projection;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.bulk.BulkWriteError;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.PatientFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Patient histories in MongoDB, read and replaced whole, a batch at a time, with an optimistic version check. */
@ApplicationScoped
public class ProjectionStore {

    private final ReactiveMongoCollection<Document> patients;
    private final int readBatch;

    /**
     * @param readBatch histories per reply of the start-up read: 1,000 are about a megabyte, far below MongoDB's 16 MB
     *                  reply limit
     */
    public ProjectionStore(ReactiveMongoClient client,
                           @ConfigProperty(name = "registry.analytics.database", defaultValue = "analytics") String database,
                           @ConfigProperty(name = "registry.analytics.load.read-batch", defaultValue = "1000") int readBatch) {
        this.patients = client.getDatabase(database).getCollection("patients");
        this.readBatch = readBatch;
    }

    /** One write of {@link #replaceAll}: the next version of a history read at {@code previous.version()}. */
    public record Replacement(PatientHistory previous, PatientHistory next) {
    }

    /**
     * The histories of these patients (an empty one for a patient not seen yet), in one query on {@code _id} alone, so
     * that the primary index answers it.
     */
    public Uni<Map<String, PatientHistory>> find(Collection<String> pseudonyms) {
        return patients.find(Filters.in("_id", pseudonyms)).map(ProjectionStore::fromDocument).collect().asList().map(found -> {
            Map<String, PatientHistory> byPatient = new HashMap<>();
            found.forEach(h -> byPatient.put(h.pseudonym(), h));
            pseudonyms.forEach(p -> byPatient.computeIfAbsent(p, PatientHistory::empty));
            return byPatient;
        });
    }

    /**
     * Every history, as a stream read in batches of {@code registry.analytics.load.read-batch} documents, so that
     * neither a reply, nor the server, nor the reader holds the whole projection at once (the local MongoDB-wire server
     * reads a batched scan one batch at a time).
     */
    public Multi<PatientHistory> all() {
        return patients.find(new FindOptions().batchSize(readBatch)).map(ProjectionStore::fromDocument);
    }

    /**
     * Stores the next versions of histories in one unordered bulk write, each checked against the version it was read
     * at (a new history is inserted, so a second writer of the same patient fails on the key). True when every write
     * matched; false when someone else wrote one of them in between: which one is not known, so the caller reads the
     * histories again and re-applies (events already applied are skipped by their ids, so the writes that did land are
     * not repeated).
     */
    public Uni<Boolean> replaceAll(Collection<Replacement> replacements) {
        if (replacements.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        List<WriteModel<Document>> writes = new ArrayList<>(replacements.size());
        for (Replacement r : replacements) {
            Document doc = toDocument(r.next());
            writes.add(r.previous().version() == 0 ? new InsertOneModel<>(doc)
                    : new ReplaceOneModel<>(Filters.and(Filters.eq("_id", r.previous().pseudonym()),
                    Filters.eq("version", r.previous().version())), doc));
        }
        return patients.bulkWrite(writes, new BulkWriteOptions().ordered(false))
                .map(result -> result.getInsertedCount() + result.getMatchedCount() == writes.size())
                .onFailure(ProjectionStore::onlyDuplicateKeys).recoverWithItem(false);
    }

    private static boolean onlyDuplicateKeys(Throwable failure) {
        return failure instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()
                && bulk.getWriteErrors().stream().map(BulkWriteError::getCategory).allMatch(ErrorCategory.DUPLICATE_KEY::equals);
    }

    /**
     * The facts, plus the analysis records derived from them so that the per-episode dataset can be read in
     * MongoDB directly; on load the records are derived again, never read back.
     */
    private static Document toDocument(PatientHistory h) {
        PatientFacts p = h.patient();
        return new Document("_id", h.pseudonym())
                .append("version", h.version())
                .append("patient", p == null ? null : new Document("patientId", p.patientId()).append("site", p.site())
                        .append("recordId", p.recordId()).append("attributes", document(p.attributes())))
                .append("lastFollowUpDate", text(h.lastFollowUpDate()))
                .append("deathDate", text(h.deathDate()))
                .append("appliedEventIds", h.appliedEventIds())
                .append("episodes", h.episodes().stream().map(e -> new Document("episodeId", e.episodeId())
                        .append("site", e.site()).append("recordId", e.recordId()).append("episodeType", e.episodeType())
                        .append("episodeDate", text(e.episodeDate())).append("episodeOrder", e.episodeOrder())
                        .append("attributes", document(e.attributes()))).toList())
                .append("treatments", h.treatments().stream().map(t -> new Document("treatmentId", t.treatmentId())
                        .append("site", t.site()).append("recordId", t.recordId()).append("episodeRecordId", t.episodeRecordId())
                        .append("category", t.category()).append("startDate", text(t.startDate()))
                        .append("attributes", document(t.attributes()))).toList())
                .append("assessments", h.assessments().stream().map(a -> new Document("assessmentId", a.assessmentId())
                        .append("episodeId", a.episodeId()).append("assessmentDate", text(a.assessmentDate()))
                        .append("overallResponse", a.overallResponse())).toList())
                .append("secondMalignancies", h.secondMalignancies().stream().map(s -> new Document("secondMalignancyId",
                        s.secondMalignancyId()).append("diagnosisDate", text(s.diagnosisDate()))).toList())
                .append("analysisRecords", AnalysisRecords.derive(h).stream().map(r -> new Document("episodeId", r.episodeId())
                        .append("site", r.site()).append("episodeDate", text(r.episodeDate())).append("episodeType", r.episodeType())
                        .append("episodeOrder", r.episodeOrder()).append("covariates", document(r.covariates()))
                        .append("mycnStatus", r.characteristics().mycnStatus())
                        .append("metastaticSites", r.characteristics().metastaticSites())
                        .append("bestResponse", r.characteristics().bestResponse())
                        .append("efsDays", r.efsDays()).append("efsEvent", r.efsEvent()).append("efsEnd", r.efsEnd())
                        .append("osDays", r.osDays()).append("osEvent", r.osEvent())).toList());
    }

    private static PatientHistory fromDocument(Document d) {
        Document p = d.get("patient", Document.class);
        return new PatientHistory(d.getString("_id"), ((Number) d.get("version")).longValue(),
                p == null ? null : new PatientFacts(p.getString("patientId"), p.getString("site"), p.getString("recordId"), attributes(p)),
                list(d, "episodes").stream().map(e -> new EpisodeFacts(e.getString("episodeId"), e.getString("site"),
                        e.getString("recordId"), e.getString("episodeType"), date(e.getString("episodeDate")),
                        e.getInteger("episodeOrder"), attributes(e))).toList(),
                list(d, "treatments").stream().map(t -> new TreatmentFacts(t.getString("treatmentId"),
                        t.getString("site"), t.getString("recordId"), t.getString("episodeRecordId"), t.getString("category"),
                        date(t.getString("startDate")), attributes(t))).toList(),
                list(d, "assessments").stream().map(a -> new AssessmentFacts(a.getString("assessmentId"), a.getString("episodeId"),
                        date(a.getString("assessmentDate")), a.getString("overallResponse"))).toList(),
                date(d.getString("lastFollowUpDate")), date(d.getString("deathDate")),
                list(d, "secondMalignancies").stream().map(s -> new SecondMalignancyFacts(s.getString("secondMalignancyId"),
                        date(s.getString("diagnosisDate")))).toList(),
                List.copyOf(d.getList("appliedEventIds", String.class)));
    }

    /** Documents written before assessments and malignancies were projected have none. */
    private static List<Document> list(Document d, String name) {
        List<Document> items = d.getList(name, Document.class);
        return items == null ? List.of() : items;
    }

    private static Document document(Map<String, String> values) {
        return new Document(new HashMap<String, Object>(values));
    }

    /** Documents written before attributes existed have none. */
    private static Map<String, String> attributes(Document d) {
        Document attributes = d.get("attributes", Document.class);
        Map<String, String> out = new HashMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    private static String text(LocalDate date) {
        return date == null ? null : date.toString();
    }

    private static LocalDate date(String text) {
        return text == null ? null : LocalDate.parse(text);
    }
}
