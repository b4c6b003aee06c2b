package org.nbregistry.outbox;

import org.junit.jupiter.api.Test;
import org.nbregistry.outbox.InboxBatch.Delivery;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InboxBatchTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();

    @Test
    void aRecordThatIsNoEnvelopeIsPoisonAndTheOthersKeepTheirOrder() {
        InboxBatch<String> batch = InboxBatch.read(List.of(envelope(A, "P1"), "{\"not\":\"an envelope\"}", envelope(B, "P2"), "nonsense"),
                record -> record, envelope -> true);

        assertEquals(List.of(A, B), ids(batch.deliveries()));
        assertEquals(List.of("{\"not\":\"an envelope\"}", "nonsense"), batch.poison().stream().map(InboxBatch.Poison::source).toList());
    }

    @Test
    void aMessagePolledTwiceInOneBatchIsAppliedOnceAtItsFirstPlace() {
        InboxBatch<String> batch = InboxBatch.read(List.of(envelope(A, "P1"), envelope(B, "P1"), envelope(A, "P1"), envelope(C, "P1")),
                record -> record, envelope -> true);

        assertEquals(List.of(A, B, A, C), ids(batch.deliveries()), "every copy stays for the one-by-one path");
        assertEquals(List.of(A, B, C), ids(batch.distinct()));
    }

    @Test
    void onlyTheIdsRecordedFirstAreApplied() {
        InboxBatch<String> batch = InboxBatch.read(List.of(envelope(A, "P1"), envelope(B, "P2"), envelope(C, "P1")), record -> record, envelope -> true);

        assertEquals(List.of(A, C), ids(InboxBatch.firstDeliveries(batch.distinct(), Set.of(C, A))));
        assertEquals(List.of(), ids(InboxBatch.firstDeliveries(batch.distinct(), Set.of())));
    }

    @Test
    void recordsThatDoNotConcernTheEffectAreLeftOutAndPoisonStaysPoison() {
        InboxBatch<String> batch = InboxBatch.read(List.of(envelope(A, "P1", "PatientRecorded"), envelope(B, "P1", "EpisodeRecorded"),
                "nonsense", envelope(C, "P2", "PatientRecorded"), envelope(B, "P1", "EpisodeRecorded")), record -> record,
                envelope -> envelope.type().equals("EpisodeRecorded"));

        assertEquals(List.of(B, B), ids(batch.deliveries()));
        assertEquals(List.of(B), ids(batch.distinct()));
        assertEquals(List.of("nonsense"), batch.poison().stream().map(InboxBatch.Poison::source).toList());
    }

    private static List<UUID> ids(List<Delivery<String>> deliveries) {
        return deliveries.stream().map(d -> d.envelope().id()).toList();
    }

    private static String envelope(UUID id, String patient) {
        return envelope(id, patient, "EpisodeSubmitted");
    }

    private static String envelope(UUID id, String patient, String type) {
        return """
                {"id":"%s","type":"%s","schemaVersion":1,"occurredAt":"2026-01-01T00:00:00Z","source":"intake-service",
                 "subject":"%s","correlationId":"s-1","data":{}}""".formatted(id, type, patient);
    }
}
