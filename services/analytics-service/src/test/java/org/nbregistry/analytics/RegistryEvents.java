package org.nbregistry.analytics;

import io.restassured.path.json.JsonPath;
import org.nbregistry.contracts.Eventually;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Domain events as episode-service publishes them, with ids derived from a name so that a re-run re-sends the same events. */
final class RegistryEvents {

    static final String EPISODES = "registry.episode-events";
    static final String TREATMENTS = "registry.treatment-events";
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OCCURRED_AT = "2026-01-01T00:00:00Z";

    private RegistryEvents() {
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    static String episode(String patient, String site, String recordId, String type, String date, int order) {
        return envelope(id("event:" + patient + ":" + recordId + ":" + order), "EpisodeRecorded", patient, "episode-service", """
                {"episodeId":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s","episodeOrder":%d}"""
                .formatted(id("episode:" + patient + ":" + recordId), site, recordId, patient, type, date, order));
    }

    static String followUp(String patient, String site, String lastFollowUp, String death) {
        String name = patient + ":" + lastFollowUp + ":" + death;
        return envelope(id("event:fu:" + name), "FollowUpRecorded", patient, "episode-service", """
                {"followUpId":"%s","site":"%s","recordId":"FU-%s","patientPseudonym":"%s","date":"%s","vitalStatus":"%s",
                 "lastFollowUpDate":"%s","deathDate":%s}""".formatted(id("followup:" + name), site, lastFollowUp, patient,
                lastFollowUp, death == null ? "alive" : "dead", lastFollowUp, death == null ? "null" : "\"" + death + "\""));
    }

    static String treatment(String patient, String site, String episodeRecordId, String category, String startDate) {
        String recordId = "TR-" + episodeRecordId + "-" + category;
        return envelope(id("event:" + patient + ":" + recordId), "TreatmentRecorded", patient, "episode-service", """
                {"treatmentId":"%s","site":"%s","recordId":"%s","patientPseudonym":"%s","episodeRecordId":"%s","category":"%s","startDate":"%s"}"""
                .formatted(id("treatment:" + patient + ":" + recordId), site, recordId, patient, episodeRecordId, category, startDate));
    }

    static String envelope(UUID id, String type, String patient, String source, String data) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"%s","source":"%s",
                 "subject":"%s","correlationId":"sub-%s","data":%s}""".formatted(id, type, OCCURRED_AT, source, patient, id, data);
    }

    /** The same event stamped as recorded by the write side at {@code occurredAt} (the others carry a fixed date). */
    static String occurredAt(String event, Instant occurredAt) {
        return event.replace("\"occurredAt\":\"" + OCCURRED_AT + "\"", "\"occurredAt\":\"" + occurredAt + "\"");
    }

    /** The same event as caused by a submission intake accepted at {@code acceptedAt} (envelope field after occurredAt). */
    static String acceptedAt(String event, Instant acceptedAt) {
        return event.replace(",\"source\":", ",\"acceptedAt\":\"" + acceptedAt + "\",\"source\":");
    }

    /** Polls until the condition holds: analytics is eventually consistent with the topics. */
    static <T> T await(Supplier<T> read, Predicate<T> condition) {
        return Eventually.await("the expected analytics state", read, condition, WAIT,
                last -> last instanceof JsonPath json ? json.prettify() : String.valueOf(last));
    }
}
