package org.nbregistry.treatment.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.nbregistry.outbox.Outbox;
import org.nbregistry.outbox.PollEffect;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.treatment.KnownDeath;
import org.nbregistry.treatment.KnownEpisode;
import org.nbregistry.treatment.ParkedTreatment;

import static org.nbregistry.support.events.EventFields.optionalDate;
import static org.nbregistry.support.events.EventFields.text;
import static org.nbregistry.support.events.EventFields.uuid;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keeps the episodes and deaths of registry.episode-events that treatment lines are checked against, and settles
 * parked lines: applied or rejected when their episode arrives, rejected as referring to an unknown episode once
 * {@code registry.treatment.episode-wait} has passed without it. Events are read tolerantly (only the fields used
 * here), so episode-service can add fields freely.
 */
@ApplicationScoped
public class EpisodeDirectory implements PollEffect {

    private static final Logger LOG = Logger.getLogger(EpisodeDirectory.class);
    private static final String SWEEP = "treatment.parked.sweep";
    private static final int SWEEP_BATCH = 50;

    private final TreatmentRecordService treatments;
    private final Outbox outbox;
    private final EventBus bus;
    private final Duration episodeWait;
    private final Clock clock = Clock.systemUTC();

    public EpisodeDirectory(TreatmentRecordService treatments, Outbox outbox, EventBus bus,
                            @ConfigProperty(name = "registry.treatment.episode-wait", defaultValue = "10m") Duration episodeWait) {
        this.treatments = treatments;
        this.outbox = outbox;
        this.bus = bus;
        this.episodeWait = episodeWait;
    }

    /** A poll's events: their episodes locked and what they change read together ({@link PollEffect}, {@link EpisodePoll}). */
    @Override
    public Uni<Function<EventEnvelope, Uni<Void>>> prepare(List<EventEnvelope> envelopes) {
        return EpisodePoll.read(envelopes).map(poll -> envelope -> apply(envelope, poll));
    }

    /** Episodes and follow-ups; patients, response assessments and second malignancies change nothing here. */
    @Override
    public boolean concerns(EventEnvelope envelope) {
        return switch (envelope.type()) {
            case "EpisodeRecorded", "EpisodeWithdrawn", "FollowUpRecorded", "FollowUpWithdrawn" -> true;
            default -> false;
        };
    }

    private Uni<Void> apply(EventEnvelope envelope, EpisodePoll poll) {
        JsonNode d = envelope.data();
        return switch (envelope.type()) {
            case "EpisodeRecorded" -> upsertEpisode(d, poll).flatMap(episode -> settleClaimed(episode, poll));
            case "FollowUpRecorded", "FollowUpWithdrawn" -> recordDeath(text(d, "site"), text(d, "patientPseudonym"), optionalDate(d, "deathDate"), poll);
            // Lines already recorded for a withdrawn episode stay; new ones wait for an episode of that id again.
            case "EpisodeWithdrawn" -> poll.episode(uuid(d, "id"))
                    .flatMap(episode -> episode == null ? Uni.createFrom().voidItem() : poll.deleteEpisode(episode));
            default -> throw new IllegalStateException("unreachable: the inbox passes only what concerns() takes, not " + envelope.type());
        };
    }

    private Uni<KnownEpisode> upsertEpisode(JsonNode d, EpisodePoll poll) {
        UUID id = uuid(d, "episodeId");
        return poll.episode(id).flatMap(found -> {
            KnownEpisode episode = found != null ? found : new KnownEpisode();
            episode.episodeId = id;
            episode.site = text(d, "site");
            episode.recordId = text(d, "recordId");
            episode.patientPseudonym = text(d, "patientPseudonym");
            episode.episodeDate = optionalDate(d, "episodeDate");
            episode.updatedAt = Instant.now(clock);
            poll.episodeRecorded(episode);
            return (found == null ? episode.persist().replaceWithVoid() : Uni.createFrom().voidItem()).replaceWith(episode);
        });
    }

    private Uni<Void> recordDeath(String site, String patient, LocalDate deathDate, EpisodePoll poll) {
        return poll.death(site, patient).flatMap(found -> {
            if (deathDate == null) {
                return found == null ? Uni.createFrom().voidItem() : poll.deleteDeath(found);
            }
            KnownDeath death = found != null ? found : new KnownDeath();
            death.site = site;
            death.patientPseudonym = patient;
            death.deathDate = deathDate;
            poll.deathRecorded(death);
            return found == null ? death.persist().replaceWithVoid() : Uni.createFrom().voidItem();
        });
    }

    /** The lines that waited for this episode, claimed by the poll, each decided now in the order they were parked. */
    private Uni<Void> settleClaimed(KnownEpisode episode, EpisodePoll poll) {
        return Multi.createFrom().iterable(poll.takeClaimed(episode.site, episode.recordId))
                .onItem().transformToUniAndConcatenate(line -> treatments.decide(line.envelope(), TreatmentRecordService.read(line.envelope()),
                        episode, poll.lines()))
                .collect().last().replaceWithVoid();
    }

    /**
     * Deleting first decides which replica settles a parked line: a concurrent delete waits for the row lock and
     * then finds nothing, so each line gets exactly one verdict.
     */
    private Uni<Void> settle(ParkedTreatment parked, KnownEpisode episodeOrNull) {
        return ParkedTreatment.delete("messageId", parked.messageId).flatMap(deleted -> {
            if (deleted == 0) {
                return Uni.createFrom().voidItem();
            }
            EventEnvelope envelope = EventCodec.read(parked.envelope);
            return treatments.decide(envelope, TreatmentRecordService.read(envelope), episodeOrNull);
        });
    }

    void startSweeping(@Observes StartupEvent started, Vertx vertx,
                       @ConfigProperty(name = "registry.treatment.park-sweep-interval", defaultValue = "10s") Duration interval) {
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> bus.send(SWEEP, ""));
    }

    /** Lines that waited longer than the episode wait: their episode is looked up once more, then they are decided. */
    @ConsumeEvent(SWEEP)
    Uni<Void> sweep(String ignored) {
        Instant cutoff = Instant.now(clock).minus(episodeWait);
        return Panache.withTransaction(() -> ParkedTreatment.parkedBefore(cutoff, SWEEP_BATCH)
                        .flatMap(expired -> Multi.createFrom().iterable(expired)
                                .onItem().transformToUniAndConcatenate(p -> KnownEpisode.findByNaturalKey(p.site, p.episodeRecordId)
                                        .flatMap(episode -> settle(p, episode)))
                                .collect().asList().replaceWith(expired.size())))
                .invoke(settled -> {
                    if (settled > 0) {
                        LOG.infof("settled %d parked treatment lines whose episode did not arrive within %s", settled, episodeWait);
                        outbox.publishSoon();
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("parked-line sweep will retry: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
