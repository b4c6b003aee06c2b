package org.nbregistry.analytics.dataset;

import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives one analysis record per episode from a patient's history (DOMAIN.md "Time-to-event"):
 * <ul>
 *   <li>t0 is the episode date;</li>
 *   <li>EFS ends at the earliest of the next episode (a later relapse/progression opens it), a second malignancy on
 *       or after t0 (an EFS event by DOMAIN.md and ARCHITECTURE.md), or death; otherwise it is censored at the last
 *       follow-up;</li>
 *   <li>OS ends at death; otherwise it is censored at the last date the patient was known alive: the last
 *       follow-up or a later episode, whichever is later;</li>
 *   <li>censoring is never before t0, and with a data cut-off nothing after the cut-off is known (episodes, deaths,
 *       malignancies, treatment lines by start and assessments by date).</li>
 * </ul>
 */
public final class AnalysisRecords {

    private AnalysisRecords() {
    }

    public static List<AnalysisRecord> derive(PatientHistory history) {
        return derive(history, null);
    }

    /** @param cutoff data cut-off date, or null for none */
    public static List<AnalysisRecord> derive(PatientHistory history, LocalDate cutoff) {
        List<EpisodeFacts> episodes = history.episodes().stream().filter(e -> known(e.episodeDate(), cutoff)).toList();
        LocalDate death = known(history.deathDate(), cutoff) ? history.deathDate() : null;
        // Subsequent malignancies diagnosed after the cut-off are not known yet.
        PatientHistory atCutoff = cutoff == null ? history : new PatientHistory(history.pseudonym(), history.version(), history.patient(),
                history.episodes(), history.treatments(), history.assessments(), history.lastFollowUpDate(), history.deathDate(),
                history.secondMalignancies().stream().filter(s -> known(s.diagnosisDate(), cutoff)).toList(), history.appliedEventIds());
        LocalDate lastFollowUp = earlier(history.lastFollowUpDate(), cutoff);
        LocalDate lastKnownAlive = episodes.isEmpty() ? lastFollowUp : later(lastFollowUp, episodes.get(episodes.size() - 1).episodeDate());

        List<AnalysisRecord> records = new ArrayList<>(episodes.size());
        for (EpisodeFacts episode : episodes) {
            LocalDate t0 = episode.episodeDate();
            LocalDate next = episodes.stream().map(EpisodeFacts::episodeDate).filter(d -> d.isAfter(t0)).findFirst().orElse(null);
            LocalDate secondMalignancy = atCutoff.secondMalignancies().stream().map(PatientHistory.SecondMalignancyFacts::diagnosisDate)
                    .filter(d -> !d.isBefore(t0)).min(LocalDate::compareTo).orElse(null);

            String efsEnd = "censored";
            LocalDate efsDate = later(lastFollowUp, t0);
            if (next != null) {
                efsEnd = "next_episode";
                efsDate = next;
            }
            if (secondMalignancy != null && (efsEnd.equals("censored") || secondMalignancy.isBefore(efsDate))) {
                efsEnd = "second_malignancy";
                efsDate = secondMalignancy;
            }
            if (death != null && (efsEnd.equals("censored") || death.isBefore(efsDate))) {
                efsEnd = "death";
                efsDate = death;
            }
            LocalDate osDate = death != null ? death : later(lastKnownAlive, t0);

            Factors.EpisodeContext context = new Factors.EpisodeContext(atCutoff, episode,
                    atCutoff.treatmentsOf(episode).stream().filter(t -> known(t.startDate(), cutoff)).toList(),
                    atCutoff.assessmentsOf(episode).stream().filter(a -> known(a.assessmentDate(), cutoff)).toList());
            records.add(new AnalysisRecord(episode.episodeId(), history.pseudonym(), episode.site(), t0, episode.episodeType(),
                    episode.episodeOrder(), Factors.levels(context), days(t0, efsDate), !efsEnd.equals("censored"), efsEnd,
                    days(t0, osDate), death != null, Factors.characteristics(context)));
        }
        return records;
    }

    /** Whole days from t0; a date before t0 (inconsistent data the write side should have rejected) counts as day 0. */
    private static int days(LocalDate t0, LocalDate end) {
        return (int) Math.max(0, ChronoUnit.DAYS.between(t0, end));
    }

    private static boolean known(LocalDate date, LocalDate cutoff) {
        return date != null && (cutoff == null || !date.isAfter(cutoff));
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a == null ? null : b == null || a.isBefore(b) ? a : b;
    }

    private static LocalDate later(LocalDate a, LocalDate b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
