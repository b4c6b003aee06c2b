package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.IncrementalAnalysis;
import org.nbregistry.analytics.survival.KaplanMeierCurve;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The analysis dataset in memory and every incremental analysis (endpoint × grouping) kept current from it.
 *
 * <p>A changed patient costs O(episodes × analyses): each of its records' old contribution is taken out of each
 * analysis' {@link IncrementalAnalysis} and the new one added, and only the analyses whose records changed are marked
 * dirty. The records are held here once, per patient; the analyses keep per-day counts only. Statistics are
 * brought up to date by a refresh that runs on the scheduler, each dirty analysis redoing only what its changes reach
 * (after one changed record at 10^6 episodes, a fraction of a millisecond for a two-level grouping and 2–3 ms of CPU for
 * site and period, which redo their changed blocks of days and one pass for the Cox step; see the README's figures):
 * one refresh is pending at a time (or two, when one paced for a backlog is overtaken; see {@link #requestRefresh})
 * and they are at least {@code minIntervalMillis} apart (and at least as far
 * apart as the last one took, so a backlog of events is applied at least half the time), so a burst of events
 * coalesces into few refreshes, and every change marks its analyses dirty before it asks for a refresh, so the last
 * change is always followed by a refresh that includes it. While a consumer catches up with a backlog (it says more
 * events wait behind a batch), refreshes are at least {@code backlogIntervalMillis} apart: statistics of a state about
 * to change again serve no one, and refreshing took up to half of a rebuild's time; the backlog's end is still
 * refreshed within that interval.
 *
 * <p>Updates and refreshes hold this object's lock (the incremental analyses are not thread-safe); readers take the
 * published result without it.
 */
public final class LiveStatistics {

    private static final System.Logger LOG = System.getLogger(LiveStatistics.class.getName());

    /** Runs a task after a delay, on one thread at a time. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    /**
     * Every analysis' statistics as of one dataset version.
     *
     * @param computeNanos how long the refresh took to bring the changed analyses up to date
     */
    public record Refreshed(long datasetVersion, Instant reflectsChangesUpTo, Instant computedAt, long refreshCount,
                            Set<AnalysisKey> changed, Map<AnalysisKey, SurvivalStatistics> results, long computeNanos) {

        public SurvivalStatistics get(AnalysisKey key) {
            return results.get(key);
        }
    }

    /** All analysis records at one dataset version, for questions the incremental analyses do not answer. */
    public record Dataset(long datasetVersion, Instant reflectsChangesUpTo, List<AnalysisRecord> records) {
    }

    private final Scheduler scheduler;
    private final Clock clock;
    private final long minIntervalMillis;
    private final long backlogIntervalMillis;
    /** How long the last refresh took, by the clock. */
    private long lastRefreshMillis;
    private final List<AnalysisKey> keys;

    /**
     * One patient as the statistics hold it: its projection version, its facts (for answers at a data cut-off, which
     * derive the records again; without the applied event ids, which only the projection needs) and its records, the
     * one copy of them: the analyses keep counts, not records.
     */
    private record Patient(long version, PatientHistory facts, List<AnalysisRecord> records) {
    }

    // Guarded by this.
    private final Map<AnalysisKey, IncrementalAnalysis> analyses = new HashMap<>();
    private final Map<String, Patient> patients = new HashMap<>();
    private final Set<AnalysisKey> dirty = new LinkedHashSet<>();
    private long datasetVersion;
    private Instant lastChange = Instant.EPOCH;
    private long lastRefreshStart = Long.MIN_VALUE / 2;
    /** When a batch with more events waiting behind it was last taken. */
    private long lastBacklogMillis = Long.MIN_VALUE / 2;
    /** When the refresh scheduled next runs; {@link #NONE_PENDING} when none is. */
    private long pendingDueMillis = NONE_PENDING;
    private static final long NONE_PENDING = Long.MAX_VALUE;

    private final Object refreshLock = new Object();
    private final List<Consumer<Refreshed>> listeners = new CopyOnWriteArrayList<>();
    private volatile Refreshed published;

    /** Without pacing for backlogs: every batch is refreshed at the pace of {@code minIntervalMillis}. */
    public LiveStatistics(Scheduler scheduler, Clock clock, long minIntervalMillis) {
        this(scheduler, clock, minIntervalMillis, 0);
    }

    public LiveStatistics(Scheduler scheduler, Clock clock, long minIntervalMillis, long backlogIntervalMillis) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.minIntervalMillis = minIntervalMillis;
        this.backlogIntervalMillis = backlogIntervalMillis;
        List<AnalysisKey> all = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            all.add(AnalysisKey.overall(endpoint));
            Factors.all().forEach(f -> all.add(new AnalysisKey(endpoint, f.name())));
        }
        this.keys = List.copyOf(all);
        // Log 95% bands as R's default; the service derives the band a request asks for from the curves.
        keys.forEach(k -> analyses.put(k, new IncrementalAnalysis(Comparator.naturalOrder(), ConfType.LOG,
                KaplanMeierCurve.DEFAULT_LEVEL, Cox.Ties.EFRON)));
        dirty.addAll(keys);
        this.published = new Refreshed(0, Instant.EPOCH, Instant.EPOCH, 0, Set.of(), Map.of(), 0);
        // Every analysis has a result from the start, so no reader ever sees a missing one.
        refresh();
    }

    public List<AnalysisKey> keys() {
        return keys;
    }

    /** The level an analysis puts a record in, or null if the record stays out of it. */
    static String levelOf(AnalysisRecord record, AnalysisKey key) {
        return key.factor() == null ? AnalysisKey.ALL : record.level(key.factor());
    }

    /** As {@link #replacePatients} for one history. */
    public long replacePatient(PatientHistory history) {
        return replacePatients(List.of(history));
    }

    /** As {@link #replacePatients(Collection, boolean)} for histories with no backlog behind them. */
    public long replacePatients(Collection<PatientHistory> histories) {
        return replacePatients(histories, false);
    }

    /**
     * Takes patients' histories at newer projection versions; older or equal versions are ignored. All of them are
     * taken before a refresh can start, so a batch of events costs at most one refresh.
     *
     * <p>The dataset version is the sum of the patients' projection versions. Each applied event stores its patient's
     * history at the next version, so this is the number of events applied: it is read back from the stored histories
     * after a restart, and a rebuild from the same events ends at the same number, whatever order the two topics were
     * read in.
     *
     * @param moreWaiting whether the caller has more events waiting behind these (its batch was full): the refresh
     *                    is then paced for a backlog
     * @return a dataset version that includes these histories: statistics refreshed at it or later reflect them
     */
    public long replacePatients(Collection<PatientHistory> histories, boolean moreWaiting) {
        return replace(histories, moreWaiting, true);
    }

    /**
     * Takes histories as {@link #replacePatients} does, without asking for a refresh: for loading the registry a part
     * at a time, after which the caller refreshes once ({@link #refreshNow}).
     */
    public void load(Collection<PatientHistory> histories) {
        replace(histories, false, false);
    }

    private long replace(Collection<PatientHistory> histories, boolean moreWaiting, boolean refresh) {
        List<List<AnalysisRecord>> derived = histories.stream().map(AnalysisRecords::derive).toList();
        boolean changed = false;
        boolean newer = false;
        long version;
        synchronized (this) {
            if (moreWaiting) {
                lastBacklogMillis = clock.millis();
            }
            int i = 0;
            for (PatientHistory history : histories) {
                List<AnalysisRecord> records = derived.get(i++);
                Patient known = patients.get(history.pseudonym());
                if (known != null && known.version() >= history.version()) {
                    continue;
                }
                newer = true;
                List<AnalysisRecord> previous = known == null ? List.of() : known.records();
                if (!previous.equals(records)) {
                    changed = true;
                    applyRecords(previous, records);
                } else {
                    records = previous;
                }
                patients.put(history.pseudonym(), new Patient(history.version(), history.factsOnly(), records));
                datasetVersion += history.version() - (known == null ? 0 : known.version());
            }
            version = datasetVersion;
            if (!newer) {
                return version;
            }
            lastChange = clock.instant();
            // No record changed and nothing waits for a refresh: the served statistics are this version's already.
            if (!changed && dirty.isEmpty() && pendingDueMillis == NONE_PENDING) {
                Refreshed served = published;
                published = new Refreshed(version, lastChange, served.computedAt(), served.refreshCount(), Set.of(), served.results(),
                        served.computeNanos());
                return version;
            }
        }
        if (refresh) {
            requestRefresh();
        }
        return version;
    }

    /** O(1) per record and analysis: takes back what changed and adds the new contribution. */
    private void applyRecords(List<AnalysisRecord> previous, List<AnalysisRecord> next) {
        Map<String, AnalysisRecord> before = new HashMap<>();
        previous.forEach(r -> before.put(r.episodeId(), r));
        for (AnalysisRecord r : next) {
            AnalysisRecord old = before.remove(r.episodeId());
            for (AnalysisKey key : keys) {
                change(key, old, r);
            }
        }
        // Episodes no longer in the history (moved to another patient or retracted).
        for (AnalysisRecord gone : before.values()) {
            for (AnalysisKey key : keys) {
                change(key, gone, null);
            }
        }
    }

    /** One record's change in one analysis (old or next null: it was not or is no longer there). */
    private void change(AnalysisKey key, AnalysisRecord old, AnalysisRecord next) {
        Endpoint endpoint = key.endpoint();
        String oldLevel = old == null ? null : levelOf(old, key);
        String level = next == null ? null : levelOf(next, key);
        if (oldLevel == null && level == null) {
            return;
        }
        if (Objects.equals(level, oldLevel) && next.days(endpoint) == old.days(endpoint) && next.event(endpoint) == old.event(endpoint)) {
            return;
        }
        IncrementalAnalysis analysis = analyses.get(key);
        if (oldLevel != null) {
            analysis.subtract(old.days(endpoint), old.event(endpoint), oldLevel);
        }
        if (level != null) {
            analysis.add(next.days(endpoint), next.event(endpoint), level);
        }
        dirty.add(key);
    }

    /** Changes applied to the dataset so far (the refreshed statistics may still be behind). */
    public synchronized long datasetVersion() {
        return datasetVersion;
    }

    /** All records now, with the version they are at. O(records). */
    public synchronized Dataset dataset() {
        List<AnalysisRecord> all = new ArrayList<>();
        patients.values().forEach(p -> all.addAll(p.records()));
        return new Dataset(datasetVersion, lastChange, List.copyOf(all));
    }

    /**
     * The records as they were for the data known at a cut-off date, derived again from every patient's facts
     * (O(records)); at the dataset version the facts are at.
     */
    public Dataset datasetAsOf(LocalDate cutoff) {
        List<PatientHistory> histories;
        long version;
        Instant reflects;
        synchronized (this) {
            histories = patients.values().stream().map(Patient::facts).toList();
            version = datasetVersion;
            reflects = lastChange;
        }
        List<AnalysisRecord> all = new ArrayList<>();
        histories.forEach(h -> all.addAll(AnalysisRecords.derive(h, cutoff)));
        return new Dataset(version, reflects, List.copyOf(all));
    }

    /** The latest refreshed statistics of every analysis. */
    public Refreshed current() {
        return published;
    }

    /** Called after each refresh that changed something, on the refreshing thread. */
    public void onRefresh(Consumer<Refreshed> listener) {
        listeners.add(listener);
    }

    /**
     * Schedules a refresh unless one is due as soon. One due later (paced for a backlog that has ended since) is
     * overtaken by this one; when it runs, it finds nothing changed or refreshes what changed since.
     */
    private void requestRefresh() {
        long wait;
        synchronized (this) {
            long now = clock.millis();
            long due = now + refreshDelay(lastRefreshStart, lastRefreshMillis, minIntervalMillis, now);
            if (now - lastBacklogMillis < backlogIntervalMillis) {
                due = Math.max(due, lastRefreshStart + backlogIntervalMillis);
            }
            if (due >= pendingDueMillis) {
                return;
            }
            pendingDueMillis = due;
            wait = due - now;
        }
        scheduler.schedule(this::refresh, wait);
    }

    /**
     * How long to wait before the next refresh: refreshes start at least the minimum interval apart, and at least as
     * far apart as the last one took, so under a backlog refreshing never takes more than half the time from applying
     * the events; when quiet, the minimum interval alone decides.
     */
    static long refreshDelay(long lastStart, long lastDuration, long minInterval, long now) {
        return Math.max(0, lastStart + Math.max(minInterval, lastDuration) - now);
    }

    /** Refreshes on the calling thread (start-up, tests); never concurrently with a scheduled refresh. */
    public void refreshNow() {
        refresh();
    }

    private void refresh() {
        synchronized (refreshLock) {
            Refreshed next;
            synchronized (this) {
                // Cleared before the analyses are read: a change after this refresh asks for the next one.
                pendingDueMillis = NONE_PENDING;
                Refreshed before = published;
                if (dirty.isEmpty() && datasetVersion == before.datasetVersion()) {
                    return;
                }
                lastRefreshStart = clock.millis();
                long started = System.nanoTime();
                Map<AnalysisKey, SurvivalStatistics> results = new ConcurrentHashMap<>(before.results());
                // The analyses are independent: refreshed side by side (the calling thread and the common pool), each by
                // one thread, while this lock keeps every change out.
                dirty.parallelStream().forEach(key -> {
                    try {
                        results.put(key, SurvivalStatistics.of(analyses.get(key).refresh()));
                    } catch (RuntimeException e) {
                        // One analysis failing must not stop the others; it keeps its last result until its next change.
                        LOG.log(System.Logger.Level.ERROR, "refresh of " + key + " failed", e);
                    }
                });
                next = new Refreshed(datasetVersion, lastChange, clock.instant(), before.refreshCount() + 1, Set.copyOf(dirty),
                        Map.copyOf(results), System.nanoTime() - started);
                dirty.clear();
                published = next;
                lastRefreshMillis = clock.millis() - lastRefreshStart;
            }
            for (Consumer<Refreshed> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "refresh listener failed", e);
                }
            }
        }
    }
}
