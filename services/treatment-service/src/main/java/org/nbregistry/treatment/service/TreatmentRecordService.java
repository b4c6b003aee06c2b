package org.nbregistry.treatment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.outbox.Outbox;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;
import org.nbregistry.treatment.Treatment;
import org.nbregistry.treatment.messaging.Payloads.Reason;
import org.nbregistry.treatment.messaging.Payloads.RecordStatus;
import org.nbregistry.treatment.messaging.Payloads.TreatmentRecorded;
import org.nbregistry.treatment.messaging.Payloads.TreatmentSubmitted;
import org.nbregistry.treatment.messaging.Topics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Applies submitted treatment records or rejects them with reasons; runs inside the caller's transaction. */
@ApplicationScoped
public class TreatmentRecordService {

    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    public TreatmentRecordService(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> apply(EventEnvelope envelope) {
        if (!"TreatmentSubmitted".equals(envelope.type())) {
            throw new MalformedEventException("intake.treatment-records carries no type " + envelope.type());
        }
        TreatmentSubmitted submitted = EventCodec.payload(envelope, TreatmentSubmitted.class);
        return Treatment.findByNaturalKey(submitted.site(), submitted.recordId()).flatMap(existing -> {
            List<Reason> reasons = check(submitted, existing, LocalDate.now(clock));
            if (!reasons.isEmpty()) {
                return status(envelope, submitted, reasons);
            }
            Treatment treatment = existing != null ? existing : new Treatment();
            if (existing == null) {
                treatment.id = UUID.randomUUID();
                treatment.site = submitted.site();
                treatment.recordId = submitted.recordId();
                treatment.patientPseudonym = submitted.patientPseudonym();
            }
            treatment.episodeRecordId = submitted.episodeRecordId();
            treatment.category = submitted.category();
            treatment.startDate = submitted.startDate();
            treatment.updatedAt = Instant.now(clock);
            Uni<Void> persisted = existing == null ? treatment.persist().replaceWithVoid() : Uni.createFrom().voidItem();
            TreatmentRecorded recorded = new TreatmentRecorded(treatment.id, treatment.site, treatment.recordId,
                    treatment.patientPseudonym, treatment.episodeRecordId, treatment.category, treatment.startDate);
            return persisted
                    .chain(() -> publish(envelope, Topics.TREATMENT_EVENTS, "TreatmentRecorded", recorded))
                    .chain(() -> status(envelope, submitted, List.of()));
        });
    }

    static List<Reason> check(TreatmentSubmitted submitted, Treatment existing, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        if (submitted.startDate().isAfter(today)) {
            reasons.add(new Reason("startDate", "not-in-future", "start date " + submitted.startDate() + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable", "record " + submitted.recordId() + " belongs to another patient"));
        }
        return reasons;
    }

    private Uni<Void> status(EventEnvelope cause, TreatmentSubmitted submitted, List<Reason> reasons) {
        RecordStatus status = new RecordStatus(cause.correlationId(), submitted.site(), "treatment", submitted.recordId(),
                reasons.isEmpty() ? "APPLIED" : "REJECTED", reasons);
        return publish(cause, Topics.RECORD_STATUS, reasons.isEmpty() ? "RecordApplied" : "RecordRejected", status);
    }

    private Uni<Void> publish(EventEnvelope cause, String topic, String type, Object payload) {
        return outbox.add(topic, EventEnvelope.of(type, Topics.SOURCE, cause.subject(), cause.correlationId(), EventCodec.toTree(payload)));
    }
}
