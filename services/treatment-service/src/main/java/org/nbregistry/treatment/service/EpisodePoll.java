package org.nbregistry.treatment.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.nbregistry.outbox.PostgresUuidOrder;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.treatment.KnownDeath;
import org.nbregistry.treatment.KnownEpisode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.nbregistry.support.events.EventFields.optionalText;

/**
 * What a poll of episode-service's events changes, read together inside the poll's transaction: the poll's episodes
 * locked in one sorted statement ({@link EpisodeLock}), the known episodes and deaths it updates read in two, and the
 * lines parked for the episodes it records claimed in one (deleted, so that exactly one transaction settles each,
 * with what those lines are checked against read by {@link LineContexts}). The entities stay in the session for the
 * whole poll and are kept current here, so each event sees what a fresh read would show.
 */
final class EpisodePoll {

    /** A line parked for an episode, claimed by this poll: it is decided when the episode's event is applied. */
    record ClaimedLine(EventEnvelope envelope) {
    }

    private record Ref(String site, String id) {
    }

    private static final String CLAIM = """
            delete from parked_treatment
            where (site, episode_record_id) in (select s, e from unnest(cast(:sites as text[]), cast(:episodes as text[])) as k(s, e))
            returning envelope, cast(extract(epoch from parked_at) * 1000000 as bigint), message_id""";

    private final Map<UUID, KnownEpisode> episodes = new HashMap<>();
    private final Set<UUID> askedEpisodes = new HashSet<>();
    private final Map<Ref, KnownDeath> deaths = new HashMap<>();
    private final Set<Ref> askedDeaths = new HashSet<>();
    private final Map<Ref, List<ClaimedLine>> claimed = new HashMap<>();
    private LineContexts lines = LineContexts.none();

    private EpisodePoll() {
    }

    static Uni<EpisodePoll> read(List<EventEnvelope> envelopes) {
        EpisodePoll poll = new EpisodePoll();
        TreeSet<String> lockKeys = new TreeSet<>();
        List<String> claimSites = new ArrayList<>();
        List<String> claimEpisodes = new ArrayList<>();
        Set<String> deathSites = new HashSet<>();
        Set<String> deathPatients = new HashSet<>();
        for (EventEnvelope envelope : envelopes) {
            JsonNode d = envelope.data();
            switch (envelope.type()) {
                case "EpisodeRecorded" -> {
                    String site = optionalText(d, "site");
                    String recordId = optionalText(d, "recordId");
                    UUID id = uuid(d, "episodeId");
                    if (site != null && recordId != null && id != null) {
                        poll.askedEpisodes.add(id);
                        if (lockKeys.add(EpisodeLock.key(site, recordId))) {
                            claimSites.add(site);
                            claimEpisodes.add(recordId);
                        }
                    }
                }
                case "EpisodeWithdrawn" -> {
                    UUID id = uuid(d, "id");
                    if (id != null) {
                        poll.askedEpisodes.add(id);
                    }
                }
                case "FollowUpRecorded", "FollowUpWithdrawn" -> {
                    String site = optionalText(d, "site");
                    String patient = optionalText(d, "patientPseudonym");
                    if (site != null && patient != null) {
                        deathSites.add(site);
                        deathPatients.add(patient);
                        poll.askedDeaths.add(new Ref(site, patient));
                    }
                }
                default -> {
                }
            }
        }
        Uni<Void> locked = lockKeys.isEmpty() ? Uni.createFrom().voidItem() : EpisodeLock.lockAll(lockKeys);
        return locked
                .chain(() -> poll.askedEpisodes.isEmpty() ? Uni.createFrom().item(List.<KnownEpisode>of())
                        : KnownEpisode.<KnownEpisode>list("episodeId in ?1", List.copyOf(poll.askedEpisodes)))
                .invoke(found -> found.forEach(e -> poll.episodes.put(e.episodeId, e)))
                .chain(() -> deathSites.isEmpty() ? Uni.createFrom().item(List.<KnownDeath>of())
                        : KnownDeath.<KnownDeath>list("site in ?1 and patientPseudonym in ?2", List.copyOf(deathSites), List.copyOf(deathPatients)))
                .invoke(found -> found.forEach(death -> poll.deaths.put(new Ref(death.site, death.patientPseudonym), death)))
                .chain(() -> claimSites.isEmpty() ? Uni.createFrom().item(List.<Object[]>of()) : claim(claimSites, claimEpisodes))
                .flatMap(rows -> {
                    List<EventEnvelope> parked = poll.claimAll(rows);
                    return LineContexts.read(parked, false);
                })
                .invoke(context -> poll.lines = context)
                .replaceWith(poll);
    }

    private static Uni<List<Object[]>> claim(List<String> sites, List<String> episodes) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(CLAIM, Object[].class)
                .setParameter("sites", sites.toArray(String[]::new))
                .setParameter("episodes", episodes.toArray(String[]::new))
                .getResultList());
    }

    /** In arrival order per episode, so a correction parked after its original is applied after it. */
    private List<EventEnvelope> claimAll(List<Object[]> rows) {
        List<Object[]> ordered = new ArrayList<>(rows);
        // By parked_at (in microseconds), then message id, as ParkedTreatment.forEpisode orders them.
        ordered.sort(Comparator.<Object[]>comparingLong(row -> ((Number) row[1]).longValue())
                .thenComparing(row -> (UUID) row[2], PostgresUuidOrder::compare));
        List<EventEnvelope> envelopes = new ArrayList<>();
        for (Object[] row : ordered) {
            EventEnvelope envelope = EventCodec.read((String) row[0]);
            JsonNode d = envelope.data();
            claimed.computeIfAbsent(new Ref(optionalText(d, "site"), optionalText(d, "episodeRecordId")), ref -> new ArrayList<>()).add(new ClaimedLine(envelope));
            envelopes.add(envelope);
        }
        return envelopes;
    }

    private static UUID uuid(JsonNode d, String field) {
        String value = optionalText(d, field);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The episode of this id as the poll has it so far; null when unknown. */
    Uni<KnownEpisode> episode(UUID id) {
        return askedEpisodes.contains(id) ? Uni.createFrom().item(episodes.get(id)) : KnownEpisode.findById(id);
    }

    void episodeRecorded(KnownEpisode episode) {
        askedEpisodes.add(episode.episodeId);
        episodes.put(episode.episodeId, episode);
        lines.episodeRecorded(episode);
    }

    /** Deleted and written at once: an episode recorded again under the same id later in the poll is inserted after. */
    Uni<Void> deleteEpisode(KnownEpisode episode) {
        episodes.remove(episode.episodeId);
        lines.episodeWithdrawn(episode);
        return episode.delete().chain(() -> Panache.getSession()).chain(session -> session.flush());
    }

    Uni<KnownDeath> death(String site, String patient) {
        Ref ref = new Ref(site, patient);
        return askedDeaths.contains(ref) ? Uni.createFrom().item(deaths.get(ref)) : KnownDeath.of(site, patient);
    }

    void deathRecorded(KnownDeath death) {
        Ref ref = new Ref(death.site, death.patientPseudonym);
        askedDeaths.add(ref);
        deaths.put(ref, death);
        lines.deathRecorded(death.site, death.patientPseudonym, death);
    }

    /** Deleted and written at once, as {@link #deleteEpisode}. */
    Uni<Void> deleteDeath(KnownDeath death) {
        deaths.remove(new Ref(death.site, death.patientPseudonym));
        lines.deathRecorded(death.site, death.patientPseudonym, null);
        return death.delete().chain(() -> Panache.getSession()).chain(session -> session.flush());
    }

    /** The lines parked for this episode and claimed by the poll, once: the episode's first event in the poll settles them. */
    List<ClaimedLine> takeClaimed(String site, String episodeRecordId) {
        List<ClaimedLine> taken = claimed.remove(new Ref(site, episodeRecordId));
        return taken == null ? List.of() : taken;
    }

    LineContexts lines() {
        return lines;
    }
}
