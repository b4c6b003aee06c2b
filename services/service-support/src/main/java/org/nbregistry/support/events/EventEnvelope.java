package org.nbregistry.support.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * The one envelope every registry message travels in (api-specs/events/envelope.schema.json).
 * Payload classes stay private to each service; only this frame is shared.
 *
 * @param acceptedAt when intake accepted the submission behind this event; carried along every event it causes, so
 *                   analytics can measure freshness from the site's point of view. Absent on events written before
 *                   the field existed.
 */
public record EventEnvelope(UUID id, String type, int schemaVersion, Instant occurredAt, String source,
                            String subject, String correlationId,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Instant acceptedAt, JsonNode data) {

    /** A new fact, accepted now: the first event of a submission. */
    public static EventEnvelope of(String type, String source, String subject, String correlationId, JsonNode data) {
        Instant now = Instant.now();
        return new EventEnvelope(UUID.randomUUID(), type, 1, now, source, subject, correlationId, now, data);
    }

    /** An event published because {@code cause} was applied: same patient, submission and acceptance time. */
    public static EventEnvelope causedBy(EventEnvelope cause, String type, String source, JsonNode data) {
        return new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), source, cause.subject(), cause.correlationId(),
                cause.acceptedAtOrOccurredAt(), data);
    }

    /** When the change was accepted at intake, or, for events without that, when this event was published. */
    public Instant acceptedAtOrOccurredAt() {
        return acceptedAt != null ? acceptedAt : occurredAt;
    }
}
