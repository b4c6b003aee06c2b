package org.nbregistry.support.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance time travels from intake's event along every event it causes, and survives the wire. */
class EventEnvelopeTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void aNewFactIsAcceptedWhenItOccurs() {
        EventEnvelope submitted = EventEnvelope.of("EpisodeSubmitted", "intake-service", "PSN-1", "sub-1", JSON.objectNode());
        assertEquals(submitted.occurredAt(), submitted.acceptedAt());
    }

    @Test
    void aCausedEventKeepsPatientSubmissionAndAcceptanceTime() {
        Instant accepted = Instant.parse("2026-03-01T10:00:00Z");
        EventEnvelope cause = new EventEnvelope(UUID.randomUUID(), "EpisodeSubmitted", 1, accepted, "intake-service", "PSN-1", "sub-1",
                accepted, JSON.objectNode());
        EventEnvelope recorded = EventEnvelope.causedBy(cause, "EpisodeRecorded", "episode-service", JSON.objectNode().put("x", 1));
        assertEquals("PSN-1", recorded.subject());
        assertEquals("sub-1", recorded.correlationId());
        assertEquals(accepted, recorded.acceptedAt());
        assertNotEquals(cause.id(), recorded.id());
        assertTrue(recorded.occurredAt().isAfter(accepted));
        EventEnvelope downstream = EventEnvelope.causedBy(recorded, "Next", "episode-service", JSON.objectNode());
        assertEquals(accepted, downstream.acceptedAt(), "carried along the whole chain");
    }

    @Test
    void anEventWrittenBeforeTheFieldExistedFallsBackToItsOwnTime() {
        String old = """
                {"id":"%s","type":"EpisodeSubmitted","schemaVersion":1,"occurredAt":"2025-01-01T00:00:00Z","source":"intake-service",
                 "subject":"PSN-1","correlationId":"sub-1","data":{}}""".formatted(UUID.randomUUID());
        EventEnvelope read = EventCodec.read(old);
        assertNull(read.acceptedAt());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), read.acceptedAtOrOccurredAt());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), EventEnvelope.causedBy(read, "EpisodeRecorded", "episode-service",
                JSON.objectNode()).acceptedAt());
        assertFalse(EventCodec.write(read).contains("acceptedAt"), "absent stays absent on the wire");
        EventEnvelope roundTrip = EventCodec.read(EventCodec.write(EventEnvelope.causedBy(read, "X", "episode-service", JSON.objectNode())));
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), roundTrip.acceptedAt());
    }
}
