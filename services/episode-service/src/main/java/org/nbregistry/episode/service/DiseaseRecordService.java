package org.nbregistry.episode.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.VitalStatus;
import org.nbregistry.episode.messaging.Payloads.EpisodeRecorded;
import org.nbregistry.episode.messaging.Payloads.EpisodeSubmitted;
import org.nbregistry.episode.messaging.Payloads.FollowUpRecorded;
import org.nbregistry.episode.messaging.Payloads.FollowUpSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.RecordStatus;
import org.nbregistry.episode.messaging.Topics;
import org.nbregistry.outbox.Outbox;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies submitted episodes and follow-ups after the rules that need other records (date order, death),
 * or rejects them with reasons and changes nothing. Every method runs inside the caller's transaction.
 */
@ApplicationScoped
public class DiseaseRecordService {

    private final Outbox outbox;
    private final Clock clock;

    public DiseaseRecordService(Outbox outbox) {
        this.outbox = outbox;
        this.clock = Clock.systemUTC();
    }

    public Uni<Void> apply(EventEnvelope envelope) {
        return switch (envelope.type()) {
            case "EpisodeSubmitted" -> applyEpisode(envelope, EventCodec.payload(envelope, EpisodeSubmitted.class));
            case "FollowUpSubmitted" -> applyFollowUp(envelope, EventCodec.payload(envelope, FollowUpSubmitted.class));
            default -> throw new MalformedEventException("intake.disease-records carries no type " + envelope.type());
        };
    }

    private Uni<Void> applyEpisode(EventEnvelope envelope, EpisodeSubmitted submitted) {
        return Episode.findByNaturalKey(submitted.site(), submitted.recordId())
                .flatMap(existing -> Episode.ofPatient(submitted.patientPseudonym())
                        .flatMap(episodes -> FollowUp.ofPatient(submitted.patientPseudonym())
                                .flatMap(followUps -> {
                                    List<Reason> reasons = EpisodeRules.check(submitted, existing, episodes, deathDate(followUps), today());
                                    if (!reasons.isEmpty()) {
                                        return status(envelope, submitted.site(), "episode", submitted.recordId(), reasons);
                                    }
                                    return storeEpisode(envelope, submitted, existing, episodes);
                                })));
    }

    private Uni<Void> storeEpisode(EventEnvelope envelope, EpisodeSubmitted submitted, Episode existing, List<Episode> episodes) {
        Episode episode = existing != null ? existing : new Episode();
        boolean created = existing == null;
        if (created) {
            episode.id = UUID.randomUUID();
            episode.site = submitted.site();
            episode.recordId = submitted.recordId();
            episode.patientPseudonym = submitted.patientPseudonym();
        }
        episode.episodeType = submitted.episodeType();
        episode.episodeDate = submitted.episodeDate();
        episode.updatedAt = Instant.now(clock);

        List<Episode> all = new ArrayList<>(episodes);
        if (created) {
            all.add(episode);
        }
        all.sort(Comparator.comparing((Episode e) -> e.episodeDate).thenComparing(e -> e.id));
        List<Episode> changed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Episode e = all.get(i);
            if (e.episodeOrder != i + 1 || e == episode) {
                e.episodeOrder = i + 1;
                changed.add(e);
            }
        }
        Uni<Void> persisted = created ? episode.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        Uni<Void> chain = persisted;
        for (Episode e : changed) {
            chain = chain.chain(() -> publish(envelope, Topics.EPISODE_EVENTS, "EpisodeRecorded", new EpisodeRecorded(
                    e.id, e.site, e.recordId, e.patientPseudonym, e.episodeType, e.episodeDate, e.episodeOrder)));
        }
        return chain.chain(() -> status(envelope, submitted.site(), "episode", submitted.recordId(), List.of()));
    }

    private Uni<Void> applyFollowUp(EventEnvelope envelope, FollowUpSubmitted submitted) {
        return FollowUp.findByNaturalKey(submitted.site(), submitted.recordId())
                .flatMap(existing -> Episode.ofPatient(submitted.patientPseudonym())
                        .flatMap(episodes -> FollowUp.ofPatient(submitted.patientPseudonym())
                                .flatMap(followUps -> {
                                    List<Reason> reasons = FollowUpRules.check(submitted, existing, episodes, followUps, today());
                                    if (!reasons.isEmpty()) {
                                        return status(envelope, submitted.site(), "follow-up", submitted.recordId(), reasons);
                                    }
                                    return storeFollowUp(envelope, submitted, existing, followUps);
                                })));
    }

    private Uni<Void> storeFollowUp(EventEnvelope envelope, FollowUpSubmitted submitted, FollowUp existing, List<FollowUp> followUps) {
        FollowUp followUp = existing != null ? existing : new FollowUp();
        boolean created = existing == null;
        if (created) {
            followUp.id = UUID.randomUUID();
            followUp.site = submitted.site();
            followUp.recordId = submitted.recordId();
            followUp.patientPseudonym = submitted.patientPseudonym();
        }
        followUp.date = submitted.date();
        followUp.vitalStatus = submitted.vitalStatus();
        followUp.updatedAt = Instant.now(clock);
        List<FollowUp> all = new ArrayList<>(followUps);
        if (created) {
            all.add(followUp);
        }
        LocalDate last = all.stream().map(f -> f.date).max(Comparator.naturalOrder()).orElseThrow();
        FollowUpRecorded recorded = new FollowUpRecorded(followUp.id, followUp.site, followUp.recordId, followUp.patientPseudonym,
                followUp.date, followUp.vitalStatus, last, deathDate(all).orElse(null));
        Uni<Void> persisted = created ? followUp.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        return persisted
                .chain(() -> publish(envelope, Topics.EPISODE_EVENTS, "FollowUpRecorded", recorded))
                .chain(() -> status(envelope, submitted.site(), "follow-up", submitted.recordId(), List.of()));
    }

    private Uni<Void> status(EventEnvelope cause, String site, String recordType, String recordId, List<Reason> reasons) {
        String verdict = reasons.isEmpty() ? "APPLIED" : "REJECTED";
        RecordStatus status = new RecordStatus(cause.correlationId(), site, recordType, recordId, verdict, reasons);
        return publish(cause, Topics.RECORD_STATUS, reasons.isEmpty() ? "RecordApplied" : "RecordRejected", status);
    }

    private Uni<Void> publish(EventEnvelope cause, String topic, String type, Object payload) {
        return outbox.add(topic, EventEnvelope.of(type, Topics.SOURCE, cause.subject(), cause.correlationId(), EventCodec.toTree(payload)));
    }

    static Optional<LocalDate> deathDate(List<FollowUp> followUps) {
        return followUps.stream().filter(f -> f.vitalStatus == VitalStatus.DEAD).map(f -> f.date).findFirst();
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }
}
