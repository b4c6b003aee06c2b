package org.nbregistry.local.bench;

import org.nbregistry.local.bench.AnalyticsClient.StreamEvent;
import org.nbregistry.local.bench.BenchCohort.Patient;
import org.nbregistry.local.bench.IntakeClient.Posted;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How long a death takes to reach the analysts' live stream while other records keep arriving. Probe patients with
 * exactly one episode are loaded first; then, under {@link BackgroundLoad}, each probe's death is PUT on its own and
 * timed from intake's 202 to the arrival of the first {@code refresh} event on GET /v1/statistics/stream that carries
 * it. Which refresh carries it: after each refresh the OS answer's number of events is compared with the number before
 * the probe; background load adds no death, so it rises by one exactly when the probe is reflected. When the OS answer
 * is already at a later dataset version than the refresh just read, the refresh of that later version is taken, so a
 * probe is never credited to a refresh that may not have carried it.
 */
final class Freshness {

    /**
     * @param freshnessMillis one per probe that was reflected
     * @param timed           the reflected probes' send, answer and arrival times, for {@link ProbeStages}
     * @param stopped         why the probes stopped early, or null
     */
    record Result(int probes, List<Double> freshnessMillis, List<ProbeStages.Probe> timed, String stopped, Ingest.Result setup,
                  double backgroundRate, List<Posted> background, String backgroundFailure, Reflection.Outcome backgroundReflection) {
    }

    private static final long PROBE_TIMEOUT_NANOS = 120_000_000_000L;
    private static final int MIN_SPACING_MILLIS = 300;
    private static final int SPACING_JITTER_MILLIS = 200;

    private final IntakeClient intake;
    private final AnalyticsClient analytics;
    private final Ingest ingest;
    private final Reflection reflection;
    private final PrintStream out;

    Freshness(IntakeClient intake, AnalyticsClient analytics, Ingest ingest, Reflection reflection, PrintStream out) {
        this.intake = intake;
        this.analytics = analytics;
        this.ingest = ingest;
        this.reflection = reflection;
        this.out = out;
    }

    Result run(BenchCohort cohort, BenchOptions options, long deadlineNanos) throws Exception {
        List<Patient> probes = cohort.patients("P", options.probes()).stream().map(BenchCohort::probe).toList();
        Ingest.Result setup = ingest.run(BenchCohort.batches(probes, options.batch(), "bench-" + cohort.label() + "-probes"),
                options.clients(), deadlineNanos);
        if (!setup.reflection().reflected() || !setup.invalid().isEmpty() || !setup.reflection().rejected().isEmpty()) {
            return new Result(probes.size(), List.of(), List.of(), "the probe patients were not all applied and reflected ("
                    + setup.reflection().waitingFor() + ", rejected " + (setup.invalid().size() + setup.reflection().rejected().size())
                    + ")", setup, 0, List.of(), null, null);
        }
        out.printf("  %d probe patients applied and reflected; background load %.0f records/s, then one death at a time%n",
                probes.size(), options.backgroundRate());

        BlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
        List<Double> freshness = new ArrayList<>();
        List<ProbeStages.Probe> timed = new ArrayList<>();
        String stopped = null;
        SplittableRandom jitter = new SplittableRandom(options.seed());
        BackgroundLoad background = new BackgroundLoad(intake, cohort, options.backgroundRate());
        try (AutoCloseable stream = analytics.stream(event -> {
            if (event.name().equals("refresh")) {
                events.add(event);
            }
        })) {
            background.start();
            int deaths = analytics.os().events();
            for (Patient probe : probes) {
                Thread.sleep(MIN_SPACING_MILLIS + jitter.nextInt(SPACING_JITTER_MILLIS + 1));
                if (System.nanoTime() > deadlineNanos) {
                    stopped = "the phase's time ran out";
                    break;
                }
                events.clear(); // a refresh that arrived before the death was sent cannot carry it
                Posted put = intake.put(probe.site(), "follow-ups", BenchCohort.death(probe));
                long limit = Math.min(deadlineNanos, put.answeredNanos() + PROBE_TIMEOUT_NANOS);
                StreamEvent carrying = null;
                int now = deaths;
                while (carrying == null) {
                    StreamEvent event = events.poll(Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (event == null) {
                        break;
                    }
                    AnalyticsClient.Os os = analytics.os();
                    if (os.events() > deaths) {
                        now = os.events();
                        carrying = os.datasetVersion() > event.datasetVersion() ? refreshOf(events, os.datasetVersion(), event) : event;
                    }
                }
                if (carrying == null) {
                    stopped = "probe " + (freshness.size() + 1) + " (" + probe.pseudonym() + ") was not on the stream within "
                            + (limit - put.answeredNanos()) / 1_000_000_000 + " s";
                    break;
                }
                if (now != deaths + 1) {
                    out.printf("  note: OS events went from %d to %d with one probe; something else added deaths%n", deaths, now);
                }
                deaths = now;
                freshness.add((carrying.arrivedNanos() - put.answeredNanos()) / 1e6);
                timed.add(new ProbeStages.Probe(probe.pseudonym(), ProbeStages.epochMillis(put.answeredNanos() - put.latencyNanos()),
                        ProbeStages.epochMillis(put.answeredNanos()), ProbeStages.epochMillis(carrying.arrivedNanos())));
            }
        } finally {
            background.close();
        }
        List<Posted> sent = background.posted();
        Reflection.Outcome settled = reflection.await(sent, deadlineNanos + 60_000_000_000L);
        return new Result(probes.size(), freshness, timed, stopped, setup, background.achievedRate(), sent, background.failure(), settled);
    }

    /** The refresh of the given dataset version (or a later one), already queued or about to arrive; else the fallback. */
    private static StreamEvent refreshOf(BlockingQueue<StreamEvent> events, long version, StreamEvent fallback) throws InterruptedException {
        long limit = System.nanoTime() + 5_000_000_000L;
        StreamEvent event;
        while ((event = events.poll(Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (event.datasetVersion() >= version) {
                return event;
            }
        }
        return fallback;
    }
}
