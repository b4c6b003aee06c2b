package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.messaging.Payloads.EpisodeSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rules an episode must meet against the patient's other records. */
final class EpisodeRules {

    private EpisodeRules() {
    }

    static List<Reason> check(EpisodeSubmitted submitted, Episode existing, List<Episode> patientEpisodes,
                              Optional<LocalDate> deathDate, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        if (submitted.episodeDate().isAfter(today)) {
            reasons.add(new Reason("episodeDate", "not-in-future", "episode date " + submitted.episodeDate() + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable",
                    "record " + submitted.recordId() + " belongs to another patient; withdraw it and submit a new record instead"));
        }
        deathDate.filter(death -> submitted.episodeDate().isAfter(death)).ifPresent(death -> reasons.add(
                new Reason("episodeDate", "not-after-death", "episode date " + submitted.episodeDate() + " is after the patient's death on " + death)));
        patientEpisodes.stream()
                .filter(other -> existing == null || !other.id.equals(existing.id))
                .filter(other -> other.episodeDate.equals(submitted.episodeDate()))
                .findFirst()
                .ifPresent(other -> reasons.add(new Reason("episodeDate", "distinct-episode-dates",
                        "the patient already has episode " + other.recordId + " on " + other.episodeDate)));
        return reasons;
    }
}
