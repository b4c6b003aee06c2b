package org.nbregistry.episode.service;

import org.nbregistry.support.vocabulary.AgentVocabulary;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.SubmittedComponent;
import org.nbregistry.episode.messaging.Payloads.TreatmentSubmitted;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Rules a treatment line must meet against its episode, the patient's death and the site's other lines of the episode. */
final class TreatmentRules {

    private TreatmentRules() {
    }

    /**
     * What the registry holds around the line's episode.
     *
     * @param episode         the site's episode named by episodeRecordId; null when the site has none
     * @param patientEpisodes the known episodes of the line's patient
     * @param deathDate       the patient's death, if known
     * @param linesOfEpisode  the site's stored lines of the same episode, the corrected one included
     */
    record Context(Episode episode, List<Episode> patientEpisodes, Optional<LocalDate> deathDate,
                   List<TreatmentLine> linesOfEpisode) {
    }

    static List<Reason> check(TreatmentSubmitted submitted, TreatmentLine existing, Context context, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate start = submitted.startDate();
        if (start.isAfter(today)) {
            reasons.add(new Reason("startDate", "not-in-future", "start date " + start + " is in the future"));
        }
        if (submitted.endDate() != null && submitted.endDate().isAfter(today)) {
            reasons.add(new Reason("endDate", "not-in-future", "end date " + submitted.endDate() + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable", "record " + submitted.recordId() + " belongs to another patient"));
        }
        context.deathDate().filter(start::isAfter).ifPresent(death -> reasons.add(
                new Reason("startDate", "not-after-death", "line starts " + start + ", after the patient's death on " + death)));
        Episode episode = context.episode();
        if (episode == null) {
            reasons.add(new Reason("episodeRecordId", "known-episode",
                    "site " + submitted.site() + " has no episode " + submitted.episodeRecordId() + "; submit the episode first"));
        } else if (!episode.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("episodeRecordId", "episode-of-patient", "episode " + episode.recordId + " belongs to another patient"));
        } else {
            if (start.isBefore(episode.episodeDate)) {
                reasons.add(new Reason("startDate", "not-before-episode",
                        "line starts " + start + ", before its episode " + episode.recordId + " on " + episode.episodeDate));
            }
            context.patientEpisodes().stream()
                    .filter(e -> e.episodeDate.isAfter(episode.episodeDate))
                    .min(Comparator.comparing((Episode e) -> e.episodeDate))
                    .filter(next -> start.isAfter(next.episodeDate))
                    .ifPresent(next -> reasons.add(new Reason("startDate", "before-next-episode", "line starts " + start
                            + ", after the next episode " + next.recordId + " on " + next.episodeDate + "; record it for that episode")));
        }
        context.linesOfEpisode().stream()
                .filter(line -> existing == null || !line.id.equals(existing.id))
                .filter(line -> line.lineNumber == submitted.lineNumber())
                .findFirst()
                .ifPresent(line -> reasons.add(new Reason("lineNumber", "distinct-line-numbers",
                        "episode " + submitted.episodeRecordId() + " already has line " + line.lineNumber + " (record " + line.recordId + ")")));
        // Intake checked the codes too; this guards against a vocabulary that changed between the two services.
        List<SubmittedComponent> components = submitted.components();
        for (int i = 0; i < components.size(); i++) {
            List<String> agents = components.get(i).agents() == null ? List.of() : components.get(i).agents();
            for (int j = 0; j < agents.size(); j++) {
                if (!AgentVocabulary.isKnown(agents.get(j))) {
                    reasons.add(new Reason("components[" + i + "].agents[" + j + "]", "known-agent",
                            "'" + agents.get(j) + "' is not in the agent vocabulary"));
                }
            }
        }
        return reasons;
    }
}
