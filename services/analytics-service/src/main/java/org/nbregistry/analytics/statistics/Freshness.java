package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.statistics.LiveStatistics.Refreshed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How old a change is when the served statistics first reflect it, as the site sees it: from intake's acceptance of
 * the submission (the envelope's {@code acceptedAt}, carried along every event the submission causes) to the end of
 * the first refresh at or after the dataset version that includes the event. Each applied event is measured once; an
 * event whose change is already in the served statistics when it is applied is measured at once.
 *
 * <p>The measure so covers intake's relay, Kafka, the owning service's checks and outbox, Kafka again, the projection
 * and the refresh. An event written before envelopes carried {@code acceptedAt} is measured from its
 * {@code occurredAt}, when the owning service recorded the change. Clocks of different hosts can disagree; a negative
 * age counts as zero.
 */
public final class Freshness {

    /** Receives one measurement: the event's type and its age when reflected. */
    @FunctionalInterface
    public interface Recorder {
        void record(String eventType, Duration age);
    }

    private record Pending(String eventType, Instant since) {
    }

    private final LiveStatistics live;
    private final Clock clock;
    private final Recorder recorder;
    // Guarded by this: applied events waiting for a refresh, by the dataset version that includes them.
    private final TreeMap<Long, List<Pending>> pending = new TreeMap<>();

    private Freshness(LiveStatistics live, Clock clock, Recorder recorder) {
        this.live = live;
        this.clock = clock;
        this.recorder = recorder;
    }

    public static Freshness follow(LiveStatistics live, Clock clock, Recorder recorder) {
        Freshness freshness = new Freshness(live, clock, recorder);
        live.onRefresh(freshness::reflected);
        return freshness;
    }

    /**
     * @param since          when the change was accepted: the envelope's acceptedAtOrOccurredAt()
     * @param datasetVersion what {@link LiveStatistics#replacePatient} returned for the event's change
     */
    public void applied(String eventType, Instant since, long datasetVersion) {
        synchronized (this) {
            // Under the same lock as reflected(), and a refresh is published before it is announced: an event is
            // either seen as reflected here or found by the next announcement, never missed by both.
            if (live.current().datasetVersion() < datasetVersion) {
                pending.computeIfAbsent(datasetVersion, v -> new ArrayList<>()).add(new Pending(eventType, since));
                return;
            }
        }
        record(eventType, since, clock.instant());
    }

    /** Events applied and not reflected yet. */
    public synchronized int pendingCount() {
        return pending.values().stream().mapToInt(List::size).sum();
    }

    private void reflected(Refreshed refreshed) {
        List<Pending> due = new ArrayList<>();
        synchronized (this) {
            Map<Long, List<Pending>> covered = pending.headMap(refreshed.datasetVersion(), true);
            covered.values().forEach(due::addAll);
            covered.clear();
        }
        due.forEach(p -> record(p.eventType(), p.since(), refreshed.computedAt()));
    }

    private void record(String eventType, Instant since, Instant reflectedAt) {
        Duration age = Duration.between(since, reflectedAt);
        recorder.record(eventType, age.isNegative() ? Duration.ZERO : age);
    }
}
