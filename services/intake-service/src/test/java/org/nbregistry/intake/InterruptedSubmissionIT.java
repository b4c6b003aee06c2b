package org.nbregistry.intake;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash between storing a submission and writing its site records and audit entries loses nothing: the sweep
 * completes the submission from what its document carries, once, and never over a newer change of the same record.
 * The crash is recreated by putting the databases back into the state the insert alone leaves: the submission
 * document not completed and carrying its effects, no site record, no audit entry.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class InterruptedSubmissionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "registry.intake.database")
    String database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProbe kafka;

    private MongoCollection<Document> submissions;
    private MongoCollection<Document> records;
    private MongoCollection<Document> audit;

    @BeforeEach
    void connect() {
        kafka = new KafkaProbe(bootstrapServers);
        MongoDatabase db = mongo.getDatabase(database);
        submissions = db.getCollection("submissions");
        records = db.getCollection("records");
        audit = db.getCollection("audit");
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aSubmissionInterruptedAfterItsInsertIsCompletedOnceBySweep() {
        String p = pseudonym();
        String id = p + "-FU1";
        String submission = put(id, followUp(p, id, "2024-06-01"), 202);
        assertEquals(List.of(submission), auditOf(id));
        Effects effects = undoCompletion(submission, "S01/follow-up/" + id);
        given().get("/v1/follow-ups/{id}", id).then().statusCode(404);
        assertEquals(List.of(), auditOf(id));

        reopen(submission, effects);
        awaitCompleted(submission);
        given().get("/v1/follow-ups").then().statusCode(200).body("recordId", hasItem(id));
        given().get("/v1/follow-ups/{id}", id).then().statusCode(200)
                .body("submissionId", equalTo(submission))
                .body("record.date", equalTo("2024-06-01"))
                .body("status", equalTo("ACCEPTED"));
        assertEquals(List.of(submission), auditOf(id));
        given().get("/v1/audit?recordType=follow-up&recordId={id}", id).then().statusCode(200)
                .body("change", equalTo(List.of("created")))
                .body("[0].after.date", equalTo("2024-06-01"));
        // The completed record is the one the request would have written: the same content again is recognised.
        assertEquals(submission, put(id, followUp(p, id, "2024-06-01"), 200));
        assertNull(submissions.find(Filters.eq("_id", submission)).first().get("effects"), "written effects leave the document");

        // A crash after every write but before the flag: completing again changes nothing.
        Document recordBefore = records.find(Filters.eq("_id", effects.record().getString("_id"))).first();
        reopen(submission, effects);
        awaitCompleted(submission);
        assertEquals(recordBefore, records.find(Filters.eq("_id", effects.record().getString("_id"))).first());
        assertEquals(List.of(submission), auditOf(id), "the audit entry is there exactly once");
    }

    @Test
    void anOlderSubmissionCompletedLateLeavesTheNewerChangeInPlace() {
        String p = pseudonym();
        String id = p + "-FU1";
        String older = put(id, followUp(p, id, "2024-06-01"), 202);
        Effects effects = undoCompletion(older, "S01/follow-up/" + id);
        // Before the older submission is completed, the site corrects the record and that submission completes.
        String newer = put(id, followUp(p, id, "2024-07-01"), 202);
        given().get("/v1/follow-ups/{id}", id).then().body("submissionId", equalTo(newer));

        reopen(older, effects);
        awaitCompleted(older);
        given().get("/v1/follow-ups/{id}", id).then().statusCode(200)
                .body("submissionId", equalTo(newer))
                .body("record.date", equalTo("2024-07-01"));
        // Both changes were accepted, so both are in the trail, each once.
        assertEquals(List.of(older, newer), auditOf(id));
    }

    @Test
    void aSubmissionInterruptedBeforeCompletionIsPublishedOnlyOnceCompleted() {
        String p = pseudonym();
        String id = p + "-FU1";
        String submission = put(id, followUp(p, id, "2024-06-01"), 202);
        awaitPublished(submission);
        // As if the service had stopped right after the insert: nothing written, nothing published.
        Effects effects = undoCompletion(submission, "S01/follow-up/" + id);
        submissions.updateOne(Filters.eq("_id", submission), Updates.set("published", false));
        reopen(submission, effects);

        // Every look at the document: published only when completed, and then the site record is there for the verdict.
        Eventually.await("submission " + submission + " published again", () -> {
            Document now = submissions.find(Filters.eq("_id", submission)).first();
            if (now.getBoolean("published")) {
                assertTrue(now.getBoolean("completed"), "published before completion: " + now.toJson());
                assertNotNull(records.find(Filters.eq("_id", "S01/follow-up/" + id)).first(), "published before its site record");
            }
            return now.getBoolean("published");
        }, Boolean.TRUE::equals, WAIT);
        given().get("/v1/follow-ups/{id}", id).then().statusCode(200).body("submissionId", equalTo(submission));
    }

    @Test
    void aSubmissionStoredButNeverQueuedForPublishingIsPublishedBySweep() {
        String p = pseudonym();
        String id = p + "-FU1";
        String submission = put(id, followUp(p, id, "2024-06-01"), 202);
        awaitPublished(submission);
        // As if a replica had stopped right after its insert: a copy under a new id, unpublished and in no relay's queue.
        Document stored = submissions.find(Filters.eq("_id", submission)).first();
        String orphan = UUID.randomUUID().toString();
        List<Document> orphanRecords = stored.getList("records", Document.class).stream()
                .map(r -> new Document(r).append("event", r.getString("event").replace(submission, orphan))).toList();
        submissions.insertOne(new Document(stored).append("_id", orphan).append("published", false).append("records", orphanRecords));

        awaitPublished(orphan);
        List<ConsumerRecord<String, String>> published = kafka.read("intake.clinical-records", r -> p.equals(r.key()),
                found -> found.stream().anyMatch(r -> r.value().contains(orphan)), WAIT);
        assertEquals(1, published.stream().filter(r -> r.value().contains(orphan)).count(), "published once");
    }

    private void awaitPublished(String submission) {
        Eventually.await("submission " + submission + " published",
                () -> submissions.find(Filters.eq("_id", submission)).first().getBoolean("published"), Boolean.TRUE::equals, WAIT);
    }

    /** What the insert alone wrote of a submission: its site record and audit entry as the completion would write them. */
    private record Effects(Document record, Document entry) {
    }

    /**
     * Removes what completing a stored submission wrote, as if the service had stopped right after inserting it;
     * {@link #reopen} then marks it incomplete again.
     */
    private Effects undoCompletion(String submission, String recordKey) {
        Document record = records.find(Filters.eq("_id", recordKey)).first();
        Document entry = audit.find(Filters.eq("submissionId", submission)).first();
        assertEquals(submission, record.getString("submissionId"));
        Effects effects = new Effects(record, entry);
        records.deleteOne(Filters.eq("_id", recordKey));
        audit.deleteOne(Filters.eq("_id", entry.get("_id")));
        return effects;
    }

    /** The submission document as the insert leaves it: not completed, carrying its effects. */
    private void reopen(String submission, Effects effects) {
        submissions.updateOne(Filters.eq("_id", submission), Updates.combine(Updates.set("completed", false),
                Updates.set("effects", new Document("records", List.of(effects.record())).append("audit", List.of(effects.entry())))));
    }

    private void awaitCompleted(String submission) {
        Eventually.await("submission " + submission + " completed",
                () -> submissions.find(Filters.eq("_id", submission)).first().getBoolean("completed"), Boolean.TRUE::equals, WAIT);
    }

    /** The submissions of the record's audit entries, oldest first. */
    private List<String> auditOf(String recordId) {
        return given().get("/v1/audit?recordType=follow-up&recordId={id}", recordId).then().statusCode(200).extract().path("submissionId");
    }

    private static String put(String id, String body, int status) {
        return given().contentType(ContentType.JSON).body(body).put("/v1/follow-ups/{id}", id).then().statusCode(status).extract().path("id");
    }

    private static String followUp(String p, String id, String date) {
        return """
                {"recordId":"%s","patientPseudonym":"%s","date":"%s","vitalStatus":"alive"}""".formatted(id, p, date);
    }

    private static String pseudonym() {
        return "PSN-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.site("S01"));
    }
}
