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
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.PatientFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
