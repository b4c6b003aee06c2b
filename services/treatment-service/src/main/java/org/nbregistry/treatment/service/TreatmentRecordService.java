package org.nbregistry.treatment.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.outbox.Outbox;
import org.nbregistry.outbox.PollEffect;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;
import org.jboss.logging.Logger;
import org.nbregistry.treatment.KnownEpisode;
import org.nbregistry.treatment.ParkedTreatment;
import org.nbregistry.treatment.Treatment;
import org.nbregistry.treatment.TreatmentComponent;
import org.nbregistry.treatment.messaging.Payloads.Reason;
import org.nbregistry.treatment.messaging.Payloads.RecordStatus;
import org.nbregistry.treatment.messaging.Payloads.RecordWithdrawn;
import org.nbregistry.treatment.messaging.Payloads.WithdrawalSubmitted;
import org.nbregistry.treatment.messaging.Payloads.SubmittedComponent;
import org.nbregistry.treatment.messaging.Payloads.TreatmentSubmitted;
import org.nbregistry.treatment.messaging.Topics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies submitted treatment lines or rejects them with reasons; a correction replaces the line and all its
 * components. Runs inside the caller's transaction.
 */
@ApplicationScoped
public class TreatmentRecordService implements PollEffect {

    private static final Logger LOG = Logger.getLogger(TreatmentRecordService.class);
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    public TreatmentRecordService(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Applies or rejects a submitted line; a line whose episode has not reached this service yet is parked until it
     * does (see {@link EpisodeDirectory}) and stays ACCEPTED meanwhile.
     */
    /** A poll's lines: their episodes locked and what they are checked against read together ({@link PollEffect}). */
    @Override
    public Uni<Function<EventEnvelope, Uni<Void>>> prepare(List<EventEnvelope> envelopes) {
        return LineContexts.read(envelopes, true).map(context -> envelope -> apply(envelope, context));
    }

    private Uni<Void> apply(EventEnvelope envelope, LineContexts context) {
        if ("WithdrawalSubmitted".equals(envelope.type())) {
            return withdraw(envelope, EventCodec.payload(envelope, WithdrawalSubmitted.class), context);
        }
        TreatmentSubmitted submitted = read(envelope);
        Uni<Void> locked = context.episodesLocked() ? Uni.createFrom().voidItem() : EpisodeLock.lock(submitted.site(), submitted.episodeRecordId());
        return locked.chain(() -> context.episode(submitted.site(), submitted.episodeRecordId()))
                .flatMap(episode -> episode == null ? park(envelope, submitted) : decide(envelope, submitted, episode, context));
    }

    /** Applies or rejects a line against its episode, reading what it needs; {@code episode} is null when it never arrived. */
    Uni<Void> decide(EventEnvelope envelope, TreatmentSubmitted submitted, KnownEpisode episode) {
        return decide(envelope, submitted, episode, LineContexts.none());
    }

    Uni<Void> decide(EventEnvelope envelope, TreatmentSubmitted submitted, KnownEpisode episode, LineContexts read) {
        return read.line(submitted.site(), submitted.recordId())
                .flatMap(existing -> read.linesOf(submitted.site(), submitted.episodeRecordId())
                        .flatMap(lines -> read.episodesOf(submitted.site(), submitted.patientPseudonym())
                                .flatMap(episodes -> read.death(submitted.site(), submitted.patientPseudonym())
                                        .flatMap(death -> {
                                            TreatmentRules.Context context = new TreatmentRules.Context(episode, episodes,
                                                    Optional.ofNullable(death).map(d -> d.deathDate), lines);
                                            List<Reason> reasons = TreatmentRules.check(submitted, existing, context, LocalDate.now(clock));
                                            if (!reasons.isEmpty()) {
                                                return status(envelope, submitted, reasons);
                                            }
                                            return store(envelope, submitted, existing, read);
                                        }))));
    }

    private Uni<Void> park(EventEnvelope envelope, TreatmentSubmitted submitted) {
        ParkedTreatment parked = new ParkedTreatment();
        parked.messageId = envelope.id();
        parked.site = submitted.site();
        parked.recordId = submitted.recordId();
        parked.episodeRecordId = submitted.episodeRecordId();
        parked.envelope = EventCodec.write(envelope);
        parked.parkedAt = Instant.now(clock);
        LOG.debugf("line %s/%s waits for episode %s", submitted.site(), submitted.recordId(), submitted.episodeRecordId());
        return parked.persist().replaceWithVoid();
    }

    /**
     * Removes a withdrawn line with its components and publishes TreatmentWithdrawn. A line still waiting for its
     * episode is dropped instead, and its own submission is rejected as withdrawn.
     */
    private Uni<Void> withdraw(EventEnvelope envelope, WithdrawalSubmitted w, LineContexts context) {
        if (!"treatment".equals(w.recordType())) {
            throw new MalformedEventException("treatment-service owns no record type " + w.recordType());
        }
        return context.line(w.site(), w.recordId()).flatMap(line -> ParkedTreatment.ofRecord(w.site(), w.recordId())
                .flatMap(parked -> {
                    Uni<Void> dropParked = Uni.createFrom().voidItem();
                    for (ParkedTreatment p : parked) {
                        EventEnvelope original = EventCodec.read(p.envelope);
                        dropParked = dropParked.chain(() -> p.delete()).chain(() -> status(original, read(original), List.of(
                                new Reason("recordId", "withdrawn", "the line was withdrawn before its episode reached the registry"))));
                    }
                    if (line == null) {
                        List<Reason> reasons = parked.isEmpty()
                                ? List.of(new Reason("recordId", "known-record", "site " + w.site() + " has no treatment " + w.recordId() + " to withdraw"))
                                : List.of();
                        return dropParked.chain(() -> withdrawalStatus(envelope, w, reasons));
                    }
                    if (!line.patientPseudonym.equals(w.patientPseudonym())) {
                        return withdrawalStatus(envelope, w, List.of(new Reason("patientPseudonym", "immutable",
                                "record " + w.recordId() + " belongs to another patient")));
                    }
                    // The database removes the components with their line (on delete cascade).
                    return dropParked
                            .chain(() -> context.delete(line))
                            .chain(() -> publish(envelope, Topics.TREATMENT_EVENTS, "TreatmentWithdrawn",
                                    new RecordWithdrawn("treatment", line.id, w.site(), w.recordId(), w.patientPseudonym())))
                            .chain(() -> withdrawalStatus(envelope, w, List.of()));
                }));
    }

    private Uni<Void> withdrawalStatus(EventEnvelope cause, WithdrawalSubmitted w, List<Reason> reasons) {
        RecordStatus status = new RecordStatus(cause.correlationId(), w.site(), "treatment", w.recordId(),
                reasons.isEmpty() ? "APPLIED" : "REJECTED", reasons);
        return publish(cause, Topics.RECORD_STATUS, reasons.isEmpty() ? "RecordApplied" : "RecordRejected", status);
    }

    static TreatmentSubmitted read(EventEnvelope envelope) {
        if (!"TreatmentSubmitted".equals(envelope.type())) {
            throw new MalformedEventException("intake.treatment-records carries no type " + envelope.type());
        }
        TreatmentSubmitted submitted = EventCodec.payload(envelope, TreatmentSubmitted.class);
        if (submitted.lineNumber() == null || submitted.startDate() == null || submitted.components() == null
                || submitted.components().isEmpty()) {
            throw new MalformedEventException("TreatmentSubmitted " + envelope.id() + " lacks its line number, start date or components");
        }
        return submitted;
    }

    private Uni<Void> store(EventEnvelope envelope, TreatmentSubmitted submitted, Treatment existing, LineContexts context) {
        Treatment treatment = existing != null ? existing : new Treatment();
        boolean created = existing == null;
        if (created) {
            treatment.id = UUID.randomUUID();
            treatment.site = submitted.site();
            treatment.recordId = submitted.recordId();
            treatment.patientPseudonym = submitted.patientPseudonym();
        }
        treatment.episodeRecordId = submitted.episodeRecordId();
        treatment.lineNumber = submitted.lineNumber();
        treatment.intent = submitted.intent();
        treatment.startDate = submitted.startDate();
        treatment.endDate = submitted.endDate();
        treatment.regimenLabel = submitted.regimenLabel();
        treatment.trialEnrolled = submitted.clinicalTrial() == null ? null : submitted.clinicalTrial().enrolled();
        treatment.trialRegistryId = submitted.clinicalTrial() == null ? null : submitted.clinicalTrial().registryId();
        treatment.updatedAt = Instant.now(clock);
        context.stored(treatment);
        List<TreatmentComponent> components = new ArrayList<>();
        for (int i = 0; i < submitted.components().size(); i++) {
            components.add(component(treatment.id, i, submitted.components().get(i)));
        }
        // A correction replaces the components: the submitted line is the whole truth.
        Uni<Void> cleared = created ? treatment.persist().replaceWithVoid()
                : TreatmentComponent.deleteOfTreatment(treatment.id).replaceWithVoid();
        Uni<Void> chain = cleared;
        for (TreatmentComponent c : components) {
            chain = chain.chain(() -> c.persist().replaceWithVoid());
        }
        return chain
                .chain(() -> publish(envelope, Topics.TREATMENT_EVENTS, "TreatmentRecorded", TreatmentStates.of(treatment, components)))
                .chain(() -> status(envelope, submitted, List.of()));
    }

    private static TreatmentComponent component(UUID treatmentId, int position, SubmittedComponent s) {
        TreatmentComponent c = new TreatmentComponent();
        c.id = UUID.randomUUID();
        c.treatmentId = treatmentId;
        c.position = position;
        c.category = s.category();
        c.agents = s.agents() == null ? new String[0] : s.agents().stream().distinct().toArray(String[]::new);
        c.startDate = s.startDate();
        c.endDate = s.endDate();
        c.cycles = s.cycles();
        c.completed = s.completed();
        c.notCompletedReason = s.notCompletedReason();
        c.surgeryExtent = s.surgeryExtent();
        if (s.radiotherapy() != null) {
            c.radiotherapyDoseGy = s.radiotherapy().totalDoseGy();
            c.radiotherapyFractions = s.radiotherapy().fractions();
            c.radiotherapyModality = s.radiotherapy().modality();
            c.radiotherapyTarget = s.radiotherapy().target();
        }
        c.stemCellRescue = s.stemCellRescue();
        return c;
    }

    private Uni<Void> status(EventEnvelope cause, TreatmentSubmitted submitted, List<Reason> reasons) {
        RecordStatus status = new RecordStatus(cause.correlationId(), submitted.site(), "treatment", submitted.recordId(),
                reasons.isEmpty() ? "APPLIED" : "REJECTED", reasons);
        return publish(cause, Topics.RECORD_STATUS, reasons.isEmpty() ? "RecordApplied" : "RecordRejected", status);
    }

    private Uni<Void> publish(EventEnvelope cause, String topic, String type, Object payload) {
        return outbox.add(topic, EventEnvelope.causedBy(cause, type, Topics.SOURCE, EventCodec.toTree(payload)));
    }
}
