package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Answers at a data cut-off are derived again from the facts known by then, whatever the live state holds. */
class DataCutOffTest {

    private static final LocalDate CUT_OFF = LocalDate.parse("2022-06-30");

    @Test
    void laterEpisodesDeathsAndTreatmentsAreUnknownAndFollowUpEndsAtTheCutOff() {
        PatientHistory h = PatientHistory.empty("P1")
                .withEpisode("e1", new EpisodeFacts("E1", "S01", "EP-1", "relapse", LocalDate.parse("2022-01-01"), 1, Map.of()))
                .withEpisode("e2", new EpisodeFacts("E2", "S01", "EP-2", "progression", LocalDate.parse("2022-09-01"), 2, Map.of()))
                .withTreatment("t1", new TreatmentFacts("T1", "S01", "TR-1", "EP-1", "chemotherapy", LocalDate.parse("2022-01-05"), Map.of()))
                .withTreatment("t2", new TreatmentFacts("T2", "S01", "TR-2", "EP-1", "immunotherapy", LocalDate.parse("2022-07-15"), Map.of()))
                .withFollowUp("f", LocalDate.parse("2023-01-01"), LocalDate.parse("2023-01-01"))
                .nextVersion();
        LiveStatistics live = new LiveStatistics((task, delay) -> { }, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 0);
        live.replacePatient(h);

        List<AnalysisRecord> now = live.dataset().records().stream().sorted(Comparator.comparing(AnalysisRecord::episodeDate)).toList();
        assertEquals(2, now.size());
        assertEquals("yes", now.get(0).level("immunotherapy"));

        List<AnalysisRecord> then = live.datasetAsOf(CUT_OFF).records();
        assertEquals(1, then.size(), "the second episode is after the cut-off");
        AnalysisRecord first = then.get(0);
        assertEquals(180, first.days(Endpoint.EFS), "censored at the cut-off: the next episode was not known yet");
        assertEquals(false, first.event(Endpoint.EFS));
        assertEquals(180, first.days(Endpoint.OS), "the death after the cut-off counts as censored at it");
        assertEquals(false, first.event(Endpoint.OS));
        assertEquals("yes", first.level("chemotherapy"));
        assertEquals("no", first.level("immunotherapy"), "started after the cut-off");
        assertEquals(live.datasetVersion(), live.datasetAsOf(CUT_OFF).datasetVersion());
    }
}
