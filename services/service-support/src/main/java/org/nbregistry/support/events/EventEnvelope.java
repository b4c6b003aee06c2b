package org.nbregistry.support.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * The one envelope every registry message travels in (api-specs/events/envelope.schema.json).
 * Payload classes stay private to each service; only this frame is shared.
 */
public record EventEnvelope(UUID id, String type, int schemaVersion, Instant occurredAt, String source,
                            String subject, String correlationId, JsonNode data) {

    public static EventEnvelope of(String type, String source, String subject, String correlationId, JsonNode data) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), source, subject, correlationId, data);
    }
}
