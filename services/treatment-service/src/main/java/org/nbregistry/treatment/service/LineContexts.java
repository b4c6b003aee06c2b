package org.nbregistry.treatment.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.treatment.KnownDeath;
import org.nbregistry.treatment.KnownEpisode;
import org.nbregistry.treatment.Treatment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.nbregistry.support.events.EventFields.optionalText;

/**
 * What treatment lines are checked against — their episodes, the patient's episodes and death, the other lines of
 * the episode — for a whole poll of submitted lines: the poll's episodes locked in one statement (sorted, see
 * {@link EpisodeLock}), then read in three set-based statements inside the poll's transaction, instead of six
 * statements per line. Lines stored or withdrawn by the poll's records are kept current here, so each record sees what
 * a fresh read would show. Anything the poll did not name is read from the database ({@link #none()} reads everything
 * there), which sees the poll's changes so far since Hibernate flushes before a query.
 */
final class LineContexts {

    private record Ref(String site, String id) {
    }

    private final Map<Ref, KnownEpisode> episodes = new HashMap<>();
    private final Set<Ref> askedEpisodes = new HashSet<>();
    private final Map<Ref, List<KnownEpisode>> episodesOfPatient = new HashMap<>();
    private final Map<Ref, KnownDeath> deaths = new HashMap<>();
    private final Set<Ref> askedPatients = new HashSet<>();
    private final Map<Ref, Treatment> lines = new HashMap<>();
    private final Set<Ref> askedLines = new HashSet<>();
    private final Map<Ref, List<Treatment>> linesOfEpisode = new HashMap<>();
    /** The episode each tracked line is listed under, by the line's natural key. */
    private final Map<Ref, Ref> episodeOfLine = new HashMap<>();
    private final boolean episodesLocked;

    private LineContexts(boolean episodesLocked) {
        this.episodesLocked = episodesLocked;
    }

    /** Reads every lookup from the database, as a single line decided on its own (a parked line settling) does. */
    static LineContexts none() {
        return new LineContexts(false);
    }

    /**
     * Reads what the lines are checked against, after locking their episodes unless the caller holds those locks
     * already (a poll of episode events settling the lines parked for its episodes).
     */
    static Uni<LineContexts> read(List<EventEnvelope> envelopes, boolean lockEpisodes) {
        LineContexts read = new LineContexts(true);
        Set<String> sites = new HashSet<>();
        Set<String> pseudonyms = new HashSet<>();
        Set<String> recordIds = new HashSet<>();
        Set<String> episodeIds = new HashSet<>();
        TreeSet<String> lockKeys = new TreeSet<>();
        for (EventEnvelope envelope : envelopes) {
            JsonNode data = envelope.data();
            String site = optionalText(data, "site");
            String recordId = optionalText(data, "recordId");
            if (site == null || recordId == null || !"TreatmentSubmitted".equals(envelope.type())) {
                continue;
            }
            String pseudonym = optionalText(data, "patientPseudonym");
            String episode = optionalText(data, "episodeRecordId");
            if (pseudonym == null || episode == null) {
                continue;
            }
            sites.add(site);
            pseudonyms.add(pseudonym);
            recordIds.add(recordId);
            episodeIds.add(episode);
            lockKeys.add(EpisodeLock.key(site, episode));
            read.askedLines.add(new Ref(site, recordId));
            read.askedEpisodes.add(new Ref(site, episode));
            read.askedPatients.add(new Ref(site, pseudonym));
        }
        if (sites.isEmpty()) {
            return Uni.createFrom().item(read);
        }
        List<String> siteList = List.copyOf(sites);
        List<String> episodeList = List.copyOf(episodeIds);
        List<String> pseudonymList = List.copyOf(pseudonyms);
        read.askedEpisodes.forEach(ref -> read.linesOfEpisode.put(ref, new ArrayList<>()));
        read.askedPatients.forEach(ref -> read.episodesOfPatient.put(ref, new ArrayList<>()));
        Uni<Void> locked = lockEpisodes ? EpisodeLock.lockAll(lockKeys) : Uni.createFrom().voidItem();
        return locked
                .chain(() -> KnownEpisode.<KnownEpisode>list("site in ?1 and (recordId in ?2 or patientPseudonym in ?3)",
                        siteList, episodeList, pseudonymList))
                .invoke(found -> found.forEach(e -> {
                    read.episodes.put(new Ref(e.site, e.recordId), e);
                    List<KnownEpisode> ofPatient = read.episodesOfPatient.get(new Ref(e.site, e.patientPseudonym));
                    if (ofPatient != null) {
                        ofPatient.add(e);
                    }
                }))
                .chain(() -> Treatment.<Treatment>list("site in ?1 and (recordId in ?2 or episodeRecordId in ?3)",
                        siteList, List.copyOf(recordIds), episodeList))
                .invoke(found -> found.forEach(read::track))
                .chain(() -> KnownDeath.<KnownDeath>list("site in ?1 and patientPseudonym in ?2", siteList, pseudonymList))
                .invoke(found -> found.forEach(d -> read.deaths.put(new Ref(d.site, d.patientPseudonym), d)))
                .replaceWith(read);
    }


    /** Whether the poll's episodes are locked already (else each line locks its own). */
    boolean episodesLocked() {
        return episodesLocked;
    }

    Uni<KnownEpisode> episode(String site, String recordId) {
        Ref ref = new Ref(site, recordId);
        return askedEpisodes.contains(ref) ? Uni.createFrom().item(episodes.get(ref)) : KnownEpisode.findByNaturalKey(site, recordId);
    }

    /** In episode date order, as KnownEpisode.ofPatient. */
    Uni<List<KnownEpisode>> episodesOf(String site, String pseudonym) {
        List<KnownEpisode> known = episodesOfPatient.get(new Ref(site, pseudonym));
        return known == null ? KnownEpisode.ofPatient(site, pseudonym)
                : Uni.createFrom().item(known.stream().sorted(Comparator.comparing(e -> e.episodeDate)).toList());
    }

    Uni<KnownDeath> death(String site, String pseudonym) {
        Ref ref = new Ref(site, pseudonym);
        return askedPatients.contains(ref) ? Uni.createFrom().item(deaths.get(ref)) : KnownDeath.of(site, pseudonym);
    }

    Uni<Treatment> line(String site, String recordId) {
        Ref ref = new Ref(site, recordId);
        Treatment known = lines.get(ref);
        return known != null || askedLines.contains(ref) ? Uni.createFrom().item(known) : Treatment.findByNaturalKey(site, recordId);
    }

    /** In line number order, as Treatment.ofEpisode. */
    Uni<List<Treatment>> linesOf(String site, String episodeRecordId) {
        List<Treatment> known = linesOfEpisode.get(new Ref(site, episodeRecordId));
        return known == null ? Treatment.ofEpisode(site, episodeRecordId)
                : Uni.createFrom().item(known.stream().sorted(Comparator.comparingInt(l -> l.lineNumber)).toList());
    }

    /** An episode recorded (new or changed) by the poll that applies these lines. */
    void episodeRecorded(KnownEpisode episode) {
        Ref ref = new Ref(episode.site, episode.recordId);
        if (askedEpisodes.contains(ref)) {
            episodes.put(ref, episode);
        }
        List<KnownEpisode> ofPatient = episodesOfPatient.get(new Ref(episode.site, episode.patientPseudonym));
        if (ofPatient != null && !ofPatient.contains(episode)) {
            ofPatient.add(episode);
        }
    }

    void episodeWithdrawn(KnownEpisode episode) {
        episodes.remove(new Ref(episode.site, episode.recordId), episode);
        episodesOfPatient.values().forEach(list -> list.remove(episode));
    }

    /** The patient's death as the poll now has it; null when it was withdrawn. */
    void deathRecorded(String site, String pseudonym, KnownDeath death) {
        Ref ref = new Ref(site, pseudonym);
        if (askedPatients.contains(ref)) {
            if (death == null) {
                deaths.remove(ref);
            } else {
                deaths.put(ref, death);
            }
        }
    }

    /** A line stored by this poll (new, or corrected and perhaps moved to another episode). */
    void stored(Treatment line) {
        untrack(line);
        track(line);
    }

    /**
     * A withdrawn line, deleted and written at once: a line re-created under the same id later in the poll must not
     * be inserted before this deletion, which is the order in which Hibernate would write both.
     */
    Uni<Void> delete(Treatment line) {
        untrack(line);
        lines.remove(new Ref(line.site, line.recordId));
        return line.delete().chain(() -> Panache.getSession()).chain(session -> session.flush());
    }

    private void track(Treatment line) {
        Ref ref = new Ref(line.site, line.recordId);
        Ref episode = new Ref(line.site, line.episodeRecordId);
        lines.put(ref, line);
        episodeOfLine.put(ref, episode);
        List<Treatment> ofEpisode = linesOfEpisode.get(episode);
        if (ofEpisode != null) {
            ofEpisode.add(line);
        }
    }

    private void untrack(Treatment line) {
        Ref episode = episodeOfLine.remove(new Ref(line.site, line.recordId));
        List<Treatment> ofEpisode = episode == null ? null : linesOfEpisode.get(episode);
        if (ofEpisode != null) {
            ofEpisode.remove(line);
        }
    }
}
