package org.nbregistry.episode.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.support.events.EventEnvelope;

import static org.nbregistry.support.events.EventFields.date;
import static org.nbregistry.support.events.EventFields.optionalDate;
import static org.nbregistry.support.events.EventFields.text;
import static org.nbregistry.support.events.EventFields.uuid;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Keeps the treatment lines of registry.treatment-events that the disease-course rules need. Events are read
 * tolerantly (only the fields used here), so treatment-service can add fields freely; other types are ignored.
 */
@ApplicationScoped
public class TreatmentLines {

    private final Clock clock = Clock.systemUTC();

    /** Runs inside the consumer's transaction (Inbox.applyOnce). */
    public Uni<Void> apply(EventEnvelope envelope) {
        JsonNode d = envelope.data();
        return switch (envelope.type()) {
            case "TreatmentRecorded" -> upsert(d);
            case "TreatmentWithdrawn" -> TreatmentLine.deleteById(uuid(d, "id")).replaceWithVoid();
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> upsert(JsonNode d) {
        UUID id = uuid(d, "treatmentId");
        return TreatmentLine.<TreatmentLine>findById(id).flatMap(found -> {
            TreatmentLine line = found != null ? found : new TreatmentLine();
            line.id = id;
            line.site = text(d, "site");
            line.recordId = text(d, "recordId");
            line.patientPseudonym = text(d, "patientPseudonym");
            line.episodeRecordId = text(d, "episodeRecordId");
            line.startDate = date(d, "startDate");
            line.endDate = optionalDate(d, "endDate");
            line.updatedAt = Instant.now(clock);
            return found == null ? line.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        });
    }
}
