package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each applied event is measured once, from when its change was accepted to the refresh that first reflects it. */
class FreshnessTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private record Measured(String type, Duration age) {
    }

    private final TestClock clock = new TestClock(T0);
    private final Queue<Runnable> refreshes = new ArrayDeque<>();
    private final LiveStatistics live = new LiveStatistics((task, delay) -> refreshes.add(task), clock, 100);
    private final List<Measured> measured = new ArrayList<>();
    private final Freshness freshness = Freshness.follow(live, clock, (type, age) -> measured.add(new Measured(type, age)));

    @Test
    void anEventIsMeasuredWhenTheRefreshThatIncludesItIsServed() {
        Instant occurred = clock.instant();
        clock.advance(40);
        long version = live.replacePatient(patient("A", 1, "2021-01-01"));
        freshness.applied("EpisodeRecorded", occurred, version);
        assertEquals(List.of(), measured, "not reflected yet");
        assertEquals(1, freshness.pendingCount());
        clock.advance(260);
        runRefreshes();
        assertEquals(List.of(new Measured("EpisodeRecorded", Duration.ofMillis(300))), measured);
        assertEquals(0, freshness.pendingCount());
    }

    @Test
    void everyEventOfABurstIsMeasuredOnceByTheOneRefresh() {
        for (int i = 0; i < 3; i++) {
            Instant occurred = clock.instant();
            clock.advance(10);
            freshness.applied("FollowUpRecorded", occurred, live.replacePatient(patient("P" + i, 1, "2021-01-0" + (i + 1))));
        }
        clock.advance(100);
        runRefreshes();
        assertEquals(List.of(Duration.ofMillis(130), Duration.ofMillis(120), Duration.ofMillis(110)),
                measured.stream().map(Measured::age).toList());
        runRefreshes();
        live.refreshNow();
        assertEquals(3, measured.size(), "measured once");
    }

    @Test
    void anEventWhoseChangeIsAlreadyServedIsMeasuredAtOnce() {
        PatientHistory a = patient("A", 1, "2021-01-01");
        live.replacePatient(a);
        runRefreshes();
        Instant occurred = clock.instant();
        clock.advance(25);
        // A re-sent state that changes no record: nothing to wait for.
        long version = live.replacePatient(patient("A", 2, "2021-01-01"));
        freshness.applied("EpisodeRecorded", occurred, version);
        assertEquals(List.of(new Measured("EpisodeRecorded", Duration.ofMillis(25))), measured);
        assertTrue(refreshes.isEmpty());
    }

    @Test
    void anOccurredAtAheadOfThisClockCountsAsZero() {
        long version = live.replacePatient(patient("A", 1, "2021-01-01"));
        freshness.applied("TreatmentRecorded", clock.instant().plusSeconds(5), version);
        runRefreshes();
        assertEquals(List.of(new Measured("TreatmentRecorded", Duration.ZERO)), measured);
    }

    @Test
    void aLaterEventWaitsForALaterRefresh() {
        freshness.applied("EpisodeRecorded", clock.instant(), live.replacePatient(patient("A", 1, "2021-01-01")));
        runRefreshes();
        freshness.applied("EpisodeRecorded", clock.instant(), live.replacePatient(patient("B", 1, "2021-01-01")));
        assertEquals(1, measured.size());
        assertEquals(1, freshness.pendingCount());
        runRefreshes();
        assertEquals(2, measured.size());
    }

    private void runRefreshes() {
        while (!refreshes.isEmpty()) {
            refreshes.poll().run();
        }
    }

    private static PatientHistory patient(String id, int version, String date) {
        PatientHistory h = PatientHistory.empty(id)
                .withEpisode("e-" + id, new EpisodeFacts("EP-" + id, "S01", "EP-1", "relapse", LocalDate.parse(date), 1, Map.of()))
                .withFollowUp("f-" + id, LocalDate.parse(date).plusDays(100), null);
        for (int v = 0; v < version; v++) {
            h = h.nextVersion();
        }
        return h;
    }
}
