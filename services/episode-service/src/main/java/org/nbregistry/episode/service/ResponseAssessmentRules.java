package org.nbregistry.episode.service;

import org.nbregistry.episode.Episode;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.ResponseAssessmentSubmitted;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Rules a response assessment must meet against its episode and the patient's other records. */
final class ResponseAssessmentRules {

    private ResponseAssessmentRules() {
    }

    /** @param episode the site's episode named by episodeRecordId, or null when the site has none by that id */
    static List<Reason> check(ResponseAssessmentSubmitted submitted, ResponseAssessment existing, Episode episode,
                              PatientFile file, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        LocalDate date = submitted.assessmentDate();
        if (date.isAfter(today)) {
            reasons.add(new Reason("assessmentDate", "not-in-future", "assessment date " + date + " is in the future"));
        }
        if (existing != null && !existing.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("patientPseudonym", "immutable",
                    "record " + submitted.recordId() + " belongs to another patient; withdraw it and submit a new record instead"));
        }
        file.deathDate().filter(date::isAfter).ifPresent(death -> reasons.add(
                new Reason("assessmentDate", "not-after-death", "assessment on " + date + " is after the patient's death on " + death)));
        if (episode == null) {
            reasons.add(new Reason("episodeRecordId", "known-episode",
                    "site " + submitted.site() + " has no episode " + submitted.episodeRecordId() + "; submit the episode first"));
            return reasons;
        }
        if (!episode.patientPseudonym.equals(submitted.patientPseudonym())) {
            reasons.add(new Reason("episodeRecordId", "episode-of-patient",
                    "episode " + episode.recordId + " belongs to another patient"));
            return reasons;
        }
        if (!date.isAfter(episode.episodeDate)) {
            reasons.add(new Reason("assessmentDate", "assessment-after-episode",
                    "assessment on " + date + " is not after the episode date " + episode.episodeDate));
        }
        file.episodeAfter(episode.episodeDate, episode.id).filter(next -> date.isAfter(next.episodeDate)).ifPresent(next -> reasons.add(
                new Reason("assessmentDate", "before-next-episode", "assessment on " + date + " is after the next episode "
                        + next.recordId + " on " + next.episodeDate + "; assess that episode instead")));
        return reasons;
    }
}
