package org.nbregistry.analytics.statistics;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;
import org.nbregistry.analytics.survival.CoxFit;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coalescing of refreshes, and incremental statistics equal to statistics computed from scratch. */
class LiveStatisticsTest {

    private static final String[] TYPES = {"refractory", "relapse", "progression"};
    private static final String[] CATEGORIES = {"chemotherapy", "immunotherapy", "consolidation", "local_surgery",
            "local_radiotherapy", "maintenance", "targeted", "other"};

    /** Runs scheduled refreshes only when the test says so, so that a burst is exactly what arrives in between. */
    private static final class ManualScheduler implements LiveStatistics.Scheduler {
        final Queue<Runnable> tasks = new ArrayDeque<>();
        final List<Long> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, long delayMillis) {
            tasks.add(task);
            delays.add(delayMillis);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final LiveStatistics live = new LiveStatistics(scheduler, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 100);

    @Test
    void aBurstOfTenThousandChangesIsOneRefresh() {
        live.refreshNow();
        long before = live.current().refreshCount();
        Random random = new Random(1);
        Map<String, PatientHistory> patients = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String id = "P" + random.nextInt(2_000);
            patients.put(id, mutate(patients.getOrDefault(id, PatientHistory.empty(id)), random));
            live.replacePatient(patients.get(id));
        }
        assertEquals(1, scheduler.tasks.size(), "one refresh pending for the whole burst");
        scheduler.runAll();
        LiveStatistics.Refreshed after = live.current();
        assertEquals(before + 1, after.refreshCount());
        assertEquals(live.dataset().datasetVersion(), after.datasetVersion(), "the refresh reflects the last change");
        assertEqualsFromScratch(after, live.dataset());
    }

    @Test
    void aChangeDuringOrAfterARefreshIsFollowedByAnotherOne() {
        live.refreshNow();
        live.replacePatient(history("A", 1));
        assertEquals(1, scheduler.tasks.size());
        // The refresh is at least the minimum interval after the previous one.
        assertEquals(100, scheduler.delays.get(0));
        scheduler.runAll();
        long seen = live.current().datasetVersion();
        live.replacePatient(history("B", 1));
        assertEquals(1, scheduler.tasks.size(), "a change after a refresh asks for the next one");
        scheduler.runAll();
        assertTrue(live.current().datasetVersion() > seen);
        assertEquals(live.dataset().datasetVersion(), live.current().datasetVersion());
    }

    @Test
    void whileABacklogIsCaughtUpRefreshesArePacedAndItsEndIsStillRefreshed() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        ManualScheduler scheduler = new ManualScheduler();
        LiveStatistics live = new LiveStatistics(scheduler, clock, 100, 1_000);
        long refreshes = live.current().refreshCount();

        // Full polls: the first asks for a refresh a backlog interval after the last one, the others wait for it.
        clock.advance(100);
        for (int i = 0; i < 50; i++) {
            live.replacePatients(List.of(history("A" + i, 1)), true);
        }
        // A partial poll of the other topic while the backlog lasts is paced as well.
        live.replacePatients(List.of(history("B", 1)), false);
        assertEquals(List.of(900L), scheduler.delays, "one refresh, a backlog interval after the last");

        clock.advance(900);
        scheduler.runAll();
        assertEquals(refreshes + 1, live.current().refreshCount());
        assertEquals(51, live.current().datasetVersion());

        // The last polls of the backlog, partial: the first still paced, the next (a backlog interval after the last
        // full poll) overtakes it at the usual pace.
        clock.advance(50);
        live.replacePatients(List.of(history("C", 1)), false);
        clock.advance(100);
        live.replacePatients(List.of(history("D", 1)), false);
        assertEquals(List.of(900L, 950L, 0L), scheduler.delays);
        Runnable paced = scheduler.tasks.poll();
        scheduler.runAll();
        assertEquals(refreshes + 2, live.current().refreshCount());
        assertEquals(53, live.current().datasetVersion(), "the backlog's end is refreshed");
        paced.run();
        assertEquals(refreshes + 2, live.current().refreshCount(), "the overtaken refresh finds nothing left to do");

        // No backlog: the minimum interval alone, as before.
        clock.advance(10);
        live.replacePatients(List.of(history("E", 1)), false);
        assertEquals(90L, scheduler.delays.get(scheduler.delays.size() - 1));
    }

    @Test
    void refreshesAreSpacedByTheMinimumIntervalOrByHowLongTheLastOneTook() {
        assertEquals(100, LiveStatistics.refreshDelay(1_000, 5, 100, 1_000), "quiet: the minimum interval");
        assertEquals(40, LiveStatistics.refreshDelay(1_000, 5, 100, 1_060));
        assertEquals(0, LiveStatistics.refreshDelay(1_000, 5, 100, 1_200), "long since the last one: at once");
        assertEquals(400, LiveStatistics.refreshDelay(1_000, 400, 100, 1_000), "a refresh of 400 ms: the next 400 ms later");
        assertEquals(0, LiveStatistics.refreshDelay(1_000, 400, 100, 1_500));
    }

    @Test
    void aRefreshOnlyRecomputesTheAnalysesAChangeAffected() {
        live.replacePatient(history("A", 1));
        live.refreshNow();
        scheduler.runAll();
        PatientHistory a = history("A", 1);
        // A new treatment category changes that treatment's grouping only, not the outcome (its agent is neither
        // irinotecan nor topotecan, so that grouping stays "no").
        live.replacePatient(a.withTreatment("t-new", new TreatmentFacts("T9", "S01", "TR-9", "EP-A-0", "maintenance",
                LocalDate.of(2020, 2, 1), Map.of("agentCodes", "isotretinoin"))).nextVersion());
        scheduler.runAll();
        assertEquals(java.util.Set.of(new AnalysisKey(Endpoint.EFS, "maintenance"), new AnalysisKey(Endpoint.OS, "maintenance")),
                live.current().changed());
    }

    @Test
    void anOlderOrRepeatedPatientVersionChangesNothing() {
        PatientHistory v1 = history("A", 1);
        PatientHistory v2 = v1.withFollowUp("f2", LocalDate.of(2021, 1, 1), null).nextVersion();
        live.replacePatient(v2);
        long version = live.dataset().datasetVersion();
        live.replacePatient(v1);
        live.replacePatient(v2);
        assertEquals(version, live.dataset().datasetVersion());
    }

    @Test
    void theDatasetVersionIsTheSumOfThePatientsVersionsAndIsServedAtOnceWhenNoRecordChanged() {
        live.replacePatient(history("A", 2));
        live.replacePatient(history("B", 3));
        assertEquals(5, live.datasetVersion());
        scheduler.runAll();
        long refreshes = live.current().refreshCount();
        // An applied event that changes no record (history "A" at its next version, the same facts).
        assertEquals(6, live.replacePatient(history("A", 3)));
        assertEquals(6, live.current().datasetVersion(), "served at the new version without a recomputation");
        assertEquals(refreshes, live.current().refreshCount());
        assertTrue(scheduler.tasks.isEmpty());

        // Loaded from the stored histories, as after a restart: the same version.
        LiveStatistics restarted = new LiveStatistics(scheduler, Clock.systemUTC(), 100);
        restarted.replacePatient(history("B", 3));
        restarted.replacePatient(history("A", 3));
        assertEquals(6, restarted.datasetVersion());
    }

    @Test
    void loadingInPartsAsksForNoRefreshAndOneRefreshThenServesAllOfIt() {
        long refreshesBefore = live.current().refreshCount();
        Random random = new Random(7);
        List<PatientHistory> stored = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            PatientHistory h = PatientHistory.empty("P" + i);
            for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
                h = mutate(h, random);
            }
            stored.add(h);
        }
        for (int from = 0; from < stored.size(); from += 64) {
            live.load(stored.subList(from, Math.min(stored.size(), from + 64)));
        }
        assertTrue(scheduler.tasks.isEmpty(), "loading schedules no refresh");
        long sumOfVersions = stored.stream().mapToLong(PatientHistory::version).sum();
        assertEquals(sumOfVersions, live.datasetVersion());

        live.refreshNow();
        assertEquals(sumOfVersions, live.current().datasetVersion());
        assertEquals(refreshesBefore + 1, live.current().refreshCount(), "one refresh for all the parts");
        assertEqualsFromScratch(live.current(), live.dataset());

        LiveStatistics atOnce = new LiveStatistics(scheduler, Clock.systemUTC(), 100);
        atOnce.replacePatients(stored);
        atOnce.refreshNow();
        for (AnalysisKey key : live.keys()) {
            assertEquals(atOnce.current().get(key).curves(), live.current().get(key).curves(), key + ": loaded in parts as at once");
        }
    }

    @Test
    void incrementalEqualsFromScratchAfterRandomAddsChangesAndRemovals() {
        Random random = new Random(42);
        Map<String, PatientHistory> patients = new HashMap<>();
        for (int round = 0; round < 30; round++) {
            int changes = 1 + random.nextInt(round < 5 ? 200 : 20);
            for (int i = 0; i < changes; i++) {
                String id = "P" + random.nextInt(300);
                patients.put(id, mutate(patients.getOrDefault(id, PatientHistory.empty(id)), random));
                live.replacePatient(patients.get(id));
            }
            scheduler.runAll();
            assertEqualsFromScratch(live.current(), live.dataset());
        }
    }

    private void assertEqualsFromScratch(LiveStatistics.Refreshed refreshed, LiveStatistics.Dataset dataset) {
        assertEquals(dataset.datasetVersion(), refreshed.datasetVersion());
        for (AnalysisKey key : live.keys()) {
            SurvivalStatistics incremental = refreshed.get(key);
            SurvivalStatistics scratch = SurvivalStatistics.fromRecords(dataset.records(), key);
            assertNotNull(incremental, key.toString());
            assertEquals(scratch.groups(), incremental.groups(), key + " groups");
            assertEquals(scratch.curves(), incremental.curves(), key + " group curves");
            assertEquals(scratch.logRank(), incremental.logRank(), key + " log-rank");
            if (scratch.cox() == null) {
                assertNull(incremental.cox());
            } else {
                assertCoxClose(scratch.cox(), incremental.cox(), key);
            }
        }
    }

    /** Warm-started and cold Newton iterations stop at slightly different points (R's 1e-9 on the log-likelihood). */
    private static void assertCoxClose(CoxFit expected, CoxFit actual, AnalysisKey key) {
        assertEquals(expected.terms().size(), actual.terms().size());
        for (int i = 0; i < expected.terms().size(); i++) {
            CoxFit.Term e = expected.terms().get(i);
            CoxFit.Term a = actual.terms().get(i);
            assertEquals(e.status(), a.status(), key + " " + e.name());
            if (e.status() == CoxFit.TermStatus.ESTIMATED) {
                assertEquals(e.coef(), a.coef(), 1e-6 * Math.max(1, Math.abs(e.coef())), key + " coef " + e.name());
                assertEquals(e.se(), a.se(), 1e-6 * e.se(), key + " se " + e.name());
            }
        }
        assertEquals(expected.score().chiSquare(), actual.score().chiSquare(), 1e-9 * Math.max(1, expected.score().chiSquare()));
    }

    /** One random change of a patient's facts, as one applied event would make it. */
    private static PatientHistory mutate(PatientHistory h, Random random) {
        String ev = "ev-" + random.nextLong();
        LocalDate base = LocalDate.of(2019, 1, 1);
        int choice = h.episodes().isEmpty() ? 0 : random.nextInt(6);
        PatientHistory next = switch (choice) {
            case 0 -> h.withEpisode(ev, new EpisodeFacts(h.pseudonym() + "-E" + h.episodes().size(), "S0" + (1 + random.nextInt(4)),
                    "EP-" + h.pseudonym() + "-" + h.episodes().size(), TYPES[random.nextInt(3)], base.plusDays(random.nextInt(1400)),
                    h.episodes().size() + 1, Map.of()));
            case 1 -> {
                EpisodeFacts e = h.episodes().get(random.nextInt(h.episodes().size()));
                yield h.withEpisode(ev, new EpisodeFacts(e.episodeId(), e.site(), e.recordId(), TYPES[random.nextInt(3)],
                        e.episodeDate().plusDays(random.nextInt(61) - 30), e.episodeOrder(), Map.of()));
            }
            case 2 -> {
                LocalDate last = h.episodes().get(h.episodes().size() - 1).episodeDate().plusDays(random.nextInt(900));
                PatientHistory followed = h.withFollowUp(ev, last, random.nextInt(3) == 0 ? last : null);
                yield random.nextInt(10) == 0 ? followed.withSecondMalignancy(ev + "-smn", new SecondMalignancyFacts(ev, last.minusDays(20))) : followed;
            }
            case 3, 4 -> {
                EpisodeFacts e = h.episodes().get(random.nextInt(h.episodes().size()));
                yield h.withTreatment(ev, new TreatmentFacts("T" + random.nextInt(1_000_000), e.site(), "TR-" + random.nextInt(1000),
                        e.recordId(), CATEGORIES[random.nextInt(CATEGORIES.length)], e.episodeDate(), Map.of()));
            }
            default -> {
                // A retraction: the history without one episode.
                yield h.withoutEpisode(ev, h.episodes().get(random.nextInt(h.episodes().size())).episodeId());
            }
        };
        return next.nextVersion();
    }

    private static PatientHistory history(String id, long version) {
        PatientHistory h = PatientHistory.empty(id).withEpisode("e", new EpisodeFacts("EP-" + id, "S01", "EP-" + id + "-0", "relapse",
                LocalDate.of(2020, 1, 1), 1, Map.of())).withFollowUp("f", LocalDate.of(2020, 6, 1), null);
        for (long v = 0; v < version; v++) {
            h = h.nextVersion();
        }
        return h;
    }
}
