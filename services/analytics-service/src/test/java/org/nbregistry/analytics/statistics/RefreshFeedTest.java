package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the SSE stream is built on: a snapshot, then each refresh once, in order, with what it recomputed. */
class RefreshFeedTest {

    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final LiveStatistics live = new LiveStatistics((task, delay) -> pending.add(task),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 100);
    private final RefreshFeed feed = RefreshFeed.follow(live);

    @Test
    void aSubscriberGetsTheCurrentStateFirstThenOneUpdatePerRefresh() {
        live.replacePatient(patient("A", "2020-01-01"));
        runRefreshes();
        List<RefreshFeed.Update> updates = new ArrayList<>();
        feed.subscribe(updates::add);
        assertEquals(1, updates.size());
        assertTrue(updates.get(0).snapshot());
        assertEquals(live.current().datasetVersion(), updates.get(0).refreshed().datasetVersion());

        // A burst is one refresh, so one update.
        live.replacePatient(patient("B", "2021-01-01"));
        live.replacePatient(patient("C", "2021-02-01"));
        runRefreshes();
        assertEquals(2, updates.size());
        RefreshFeed.Update update = updates.get(1);
        assertFalse(update.snapshot());
        assertEquals(live.dataset().datasetVersion(), update.refreshed().datasetVersion());
        assertTrue(update.refreshed().changed().contains(AnalysisKey.overall(Endpoint.OS)), "a new episode changes OS");
        assertTrue(update.refreshed().refreshCount() > updates.get(0).refreshed().refreshCount());
    }

    @Test
    void aRefreshAlreadyInTheSnapshotIsNotSentAgain() {
        Queue<Runnable> tasks = new ArrayDeque<>();
        LiveStatistics statistics = new LiveStatistics((task, delay) -> tasks.add(task), Clock.systemUTC(), 0);
        List<RefreshFeed.Update> updates = new ArrayList<>();
        RefreshFeed[] late = new RefreshFeed[1];
        // Runs before the feed's own listener: the subscriber joins after the refresh is published, before it is fanned out.
        statistics.onRefresh(r -> {
            if (updates.isEmpty()) {
                late[0].subscribe(updates::add);
            }
        });
        late[0] = RefreshFeed.follow(statistics);
        statistics.replacePatient(patient("A", "2020-01-01"));
        tasks.poll().run();
        assertEquals(1, updates.size(), "the refresh came as the snapshot, and not a second time");
        assertTrue(updates.get(0).snapshot());
        statistics.replacePatient(patient("B", "2020-01-01"));
        tasks.poll().run();
        assertEquals(2, updates.size());
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndAFailingSubscriberDoesNotStopOthers() {
        List<RefreshFeed.Update> kept = new ArrayList<>();
        List<RefreshFeed.Update> closed = new ArrayList<>();
        int[] failing = {0};
        feed.subscribe(u -> {
            if (!u.snapshot()) {
                failing[0]++;
                throw new IllegalStateException("client gone");
            }
        });
        RefreshFeed.Subscription subscription = feed.subscribe(closed::add);
        feed.subscribe(kept::add);
        subscription.close();
        subscription.close();
        live.replacePatient(patient("A", "2020-01-01"));
        runRefreshes();
        live.replacePatient(patient("B", "2020-01-01"));
        runRefreshes();
        assertEquals(1, closed.size(), "the snapshot only");
        assertEquals(3, kept.size(), "snapshot and two refreshes");
        assertEquals(1, failing[0], "a failing subscriber is dropped after its first failure");
        assertEquals(1, feed.subscriberCount());
    }

    private void runRefreshes() {
        while (!pending.isEmpty()) {
            pending.poll().run();
        }
    }

    private static PatientHistory patient(String id, String episodeDate) {
        return PatientHistory.empty(id)
                .withEpisode("e-" + id, new EpisodeFacts("EP-" + id, "S01", "EP-1", "relapse", LocalDate.parse(episodeDate), 1, Map.of()))
                .withFollowUp("f-" + id, LocalDate.parse(episodeDate).plusDays(100), null)
                .nextVersion();
    }
}
