package org.nbregistry.local.bench;

import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.bench.BenchCohort.Patient;
import org.nbregistry.local.bench.BenchOptions.Phase;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./platform bench}: measures a running platform from outside, through its APIs and its broker, as the README's
 * Benchmark section describes. Phases: {@code load} (a multi-site cohort from several clients, intake's acceptance rate,
 * batch latency, end-to-end rate until analytics reflects everything), {@code freshness} (deaths sent one at a time under
 * steady background load, timed until the live stream carries them) and {@code burst} (records as fast as the clients
 * can, then the time until reflected). Consumer lag and resident memory are sampled every second throughout. Every
 * wait has a deadline; a phase that runs out of time prints what it saw and says so.
 */
public final class Bench {

    static final String LOAD_RATE = "load: intake acceptance (records/s)";
    static final String LOAD_LATENCY = "load: batch latency p50 / p95 / max (ms)";
    static final String LOAD_END_TO_END = "load: end-to-end (records/s, first POST until analytics reflects all)";
    static final String LOAD_REJECTED = "load: records rejected";
    static final String FRESHNESS = "freshness of a death, PUT 202 to SSE refresh: p50 / p95 / p99 / max (ms)";
    static final String FRESHNESS_STAGES = "freshness by stage, p50 / p99 (ms): intake's relay; episode-service; analytics";
    static final String BACKGROUND = "freshness: background load achieved (records/s)";
    static final String BURST_RATE = "burst: intake acceptance (records/s)";
    static final String BURST_REFLECTED = "burst: first POST until analytics reflects all (s)";
    static final String BURST_REJECTED = "burst: records rejected";
    static final String MAX_LAG = "max consumer lag, ";
    static final String MAX_RSS = "max RSS (MiB), ";
    static final String MAX_PSS = "max PSS (MiB), ";

    /** The figures every complete run of all phases reports, besides lag per consumer group and memory per process. */
    public static final List<String> FIGURES = List.of(LOAD_RATE, LOAD_LATENCY, LOAD_END_TO_END, LOAD_REJECTED, FRESHNESS,
            FRESHNESS_STAGES, BACKGROUND, BURST_RATE, BURST_REFLECTED, BURST_REJECTED, MAX_LAG + ConsumerLag.ANALYTICS_GROUP,
            MAX_RSS + "total", MAX_PSS + "total");

    private final BenchOptions options;
    private final BenchTarget target;
    private final PrintStream out;

    public Bench(BenchOptions options, BenchTarget target, PrintStream out) {
        this.options = options;
        this.target = target;
        this.out = out;
    }

    /** Runs the chosen phases; 0 when every figure was measured and no record was rejected, 1 otherwise. */
    public int run() throws Exception {
        long started = System.nanoTime();
        String run = Long.toString(System.currentTimeMillis() / 1000, 36);
        BenchCohort cohort = new BenchCohort(options.siteCodes(), options.seed(), run);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        IntakeClient intake = new IntakeClient(target.intake(), target.siteToken(), http);
        AnalyticsClient analytics = new AnalyticsClient(target.analytics(), target.analystToken().get(), http);
        Report report = new Report();
        out.printf("Bench of the platform on %s: intake %s, analytics %s, Kafka %s%n", target.dataDir(), target.intake(),
                target.analytics(), target.kafkaBootstrapServers());
        out.printf("Pseudonyms and record ids of this run start with %s (seed %d); phases %s, at most %d s each%n",
                cohort.label(), options.seed(), options.phases().stream().sorted().map(Phase::label).toList(),
                options.timeout().toSeconds());
        try (ConsumerLag lag = new ConsumerLag(target.kafkaBootstrapServers());
             Monitor monitor = new Monitor(lag, new ProcessMemory(target.launcherPid(), target.dataDir()), started)) {
            monitor.start();
            Reflection reflection = new Reflection(intake, analytics, lag);
            Ingest ingest = new Ingest(intake, reflection);
            if (options.runs(Phase.LOAD)) {
                double from = monitor.seconds();
                List<Patient> patients = cohort.patients("L", options.patients());
                List<Batch> batches = BenchCohort.batches(patients, options.batch(), "bench-" + cohort.label() + "-load");
                int records = batches.stream().mapToInt(Batch::size).sum();
                out.printf("%n== load: %,d patients at %d sites, %,d records (%.1f per patient) in %d batches of at most %d, %d clients%n",
                        patients.size(), options.sites(), records, (double) records / patients.size(), batches.size(),
                        options.batch(), options.clients());
                Ingest.Result result = ingest.run(batches, options.clients(), deadline());
                ingested(result, "load", LOAD_RATE, LOAD_LATENCY, LOAD_END_TO_END, LOAD_REJECTED, report);
                phaseEnd(monitor, from);
            }
            if (options.runs(Phase.FRESHNESS)) {
                double from = monitor.seconds();
                out.printf("%n== freshness: %d probe deaths under %.0f records/s of background load%n", options.probes(),
                        options.backgroundRate());
                freshness(new Freshness(intake, analytics, ingest, reflection, out).run(cohort, options, deadline()), report);
                phaseEnd(monitor, from);
            }
            if (options.runs(Phase.BURST)) {
                double from = monitor.seconds();
                List<Patient> patients = cohort.patientsWithRecords("B", options.burst());
                List<Batch> batches = BenchCohort.batches(patients, options.batch(), "bench-" + cohort.label() + "-burst");
                out.printf("%n== burst: %,d records (%,d patients) in %d batches, as fast as %d clients can%n",
                        batches.stream().mapToInt(Batch::size).sum(), patients.size(), batches.size(), options.clients());
                Ingest.Result result = ingest.run(batches, options.clients(), deadline());
                ingested(result, "burst", BURST_RATE, null, null, BURST_REJECTED, report);
                if (result.reflection().reflected()) {
                    report.figure(BURST_REFLECTED, String.format(Locale.ROOT, "%.1f", result.reflectedSeconds()));
                } else {
                    report.missing(BURST_REFLECTED, "timed out");
                }
                phaseEnd(monitor, from);
            }
            memory(monitor, report);
            Map<String, Long> maxLag = monitor.maxLag(0, Double.MAX_VALUE);
            out.printf("%n== consumer lag, max over the whole run: %s%n", maxLag);
            maxLag.forEach((group, max) -> report.figure(MAX_LAG + group, Long.toString(max)));
        }
        out.printf("%n== summary (%.0f s)%s%n%n", (System.nanoTime() - started) / 1e9,
                report.complete() ? "" : " — INCOMPLETE: a phase timed out or a record was rejected; see above");
        out.print(report.markdown());
        return report.complete() ? 0 : 1;
    }

    private long deadline() {
        return System.nanoTime() + options.timeout().toNanos();
    }

    private void ingested(Ingest.Result r, String phase, String rateFigure, String latencyFigure, String endToEndFigure,
                          String rejectedFigure, Report report) {
        if (r.failure() != null) {
            out.printf("  posting stopped early: %s%n", r.failure());
            report.fail();
        }
        if (r.posted().isEmpty()) {
            report.missing(rateFigure, "no batch answered");
            return;
        }
        double acceptance = r.accepted() / Math.max(1e-9, r.acceptanceSeconds());
        Percentiles latency = r.latencyMillis();
        out.printf("  intake accepted %,d of %,d records in %.2f s: %s records/s (unchanged %d, invalid %d)%n", r.accepted(),
                r.recordsToSend(), r.acceptanceSeconds(), Report.number(acceptance), r.unchanged(), r.invalid().size());
        out.printf("  batch latency: p50 %s ms, p95 %s ms, max %s ms (%d batches)%n", Report.millis(latency.p50()),
                Report.millis(latency.p95()), Report.millis(latency.max()), latency.count());
        report.figure(rateFigure, Report.number(acceptance));
        if (latencyFigure != null) {
            report.figure(latencyFigure, Report.millis(latency.p50()) + " / " + Report.millis(latency.p95()) + " / "
                    + Report.millis(latency.max()));
        }
        Reflection.Outcome reflected = r.reflection();
        int rejected = r.invalid().size() + reflected.rejected().size();
        printRejected(r.invalid(), reflected.rejected());
        report.figure(rejectedFigure, Integer.toString(rejected));
        if (rejected > 0) {
            report.fail();
        }
        if (reflected.reflected()) {
            double endToEnd = r.accepted() / Math.max(1e-9, r.reflectedSeconds());
            out.printf("  reflected in analytics %.2f s after the first POST: %s records/s end to end (applied %,d, rejected %d)%n",
                    r.reflectedSeconds(), Report.number(endToEnd), reflected.applied(), reflected.rejected().size());
            if (endToEndFigure != null) {
                report.figure(endToEndFigure, Report.number(endToEnd));
            }
        } else {
            out.printf("  TIMED OUT after %d s waiting for %s (applied so far %,d, rejected %d)%n",
                    options.timeout().toSeconds(), reflected.waitingFor(), reflected.applied(), reflected.rejected().size());
            if (endToEndFigure != null) {
                report.missing(endToEndFigure, phase + " timed out");
            } else {
                report.fail();
            }
        }
    }

    private void printRejected(List<String> invalid, List<String> rejected) {
        List<String> all = new ArrayList<>(invalid);
        all.addAll(rejected);
        if (!all.isEmpty()) {
            out.printf("  REJECTED %d records, e.g.:%n", all.size());
            all.stream().limit(10).forEach(r -> out.println("    " + r));
        }
    }

    private void freshness(Freshness.Result r, Report report) {
        List<Double> fresh = r.freshnessMillis();
        if (r.stopped() != null) {
            out.printf("  STOPPED: %s%n", r.stopped());
        }
        if (fresh.isEmpty()) {
            report.missing(FRESHNESS, r.stopped() == null ? "no probe" : r.stopped());
        } else {
            Percentiles p = Percentiles.of(fresh);
            out.printf("  %d of %d probes reflected: freshness p50 %s ms, p95 %s ms, p99 %s ms, max %s ms%n", p.count(), r.probes(),
                    Report.millis(p.p50()), Report.millis(p.p95()), Report.millis(p.p99()), Report.millis(p.max()));
            out.printf("  raw freshness (ms, in probe order): %s%n",
                    fresh.stream().map(Report::millis).collect(Collectors.joining(", ")));
            report.figure(FRESHNESS, Report.millis(p.p50()) + " / " + Report.millis(p.p95()) + " / " + Report.millis(p.p99())
                    + " / " + Report.millis(p.max()) + (fresh.size() < r.probes() ? " (" + fresh.size() + " of " + r.probes() + " probes)" : ""));
            if (r.stopped() != null) {
                report.fail();
            }
            stages(r.timed(), report);
        }
        if (r.backgroundReflection() == null) {
            report.missing(BACKGROUND, "no background load: the probes' set-up failed");
            return;
        }
        int records = r.background().stream().mapToInt(IntakeClient.Posted::records).sum();
        List<String> invalid = r.background().stream().flatMap(p -> p.invalid().stream()).toList();
        out.printf("  background: %.0f records/s asked, %s achieved; %,d records in %d batches%s%n", options.backgroundRate(),
                Report.number(r.backgroundRate()), records, r.background().size(),
                r.backgroundFailure() == null ? "" : "; stopped early: " + r.backgroundFailure());
        printRejected(invalid, r.backgroundReflection().rejected());
        if (!r.backgroundReflection().reflected()) {
            out.printf("  the background load was not all reflected in time (waiting for %s)%n", r.backgroundReflection().waitingFor());
            report.fail();
        }
        if (!invalid.isEmpty() || !r.backgroundReflection().rejected().isEmpty()) {
            report.fail();
        }
        report.figure(BACKGROUND, Report.number(r.backgroundRate()));
    }

    /** Where the probes' time went, per stage, from the broker's record timestamps (see {@link ProbeStages}). */
    private void stages(List<ProbeStages.Probe> timed, Report report) {
        // A second before the first probe was sent: its records cannot be earlier; the margin only spares an edge case.
        long from = timed.stream().mapToLong(ProbeStages.Probe::sentMillis).min().orElseThrow() - 1000;
        Set<String> pseudonyms = timed.stream().map(ProbeStages.Probe::pseudonym).collect(Collectors.toSet());
        Map<String, List<Double>> stages;
        try {
            stages = ProbeStages.of(timed, ProbeStages.read(target.kafkaBootstrapServers(), pseudonyms, from));
        } catch (RuntimeException e) {
            out.printf("  the probes' records could not be read from the broker: %s%n", e);
            report.missing(FRESHNESS_STAGES, "the broker could not be read");
            return;
        }
        int found = stages.get(ProbeStages.STAGES.get(0)).size();
        if (found == 0) {
            out.printf("  none of the probes' records was found on %s and %s%n", ProbeStages.INTAKE_TOPIC, ProbeStages.EPISODE_TOPIC);
            report.missing(FRESHNESS_STAGES, "the probes' records were not found on the broker");
            return;
        }
        out.printf("  by stage (record timestamps on the broker; %d of %d probes found): p50 / p95 / p99 / max (ms), mean share%n",
                found, timed.size());
        double total = stages.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sum();
        List<String> figure = new ArrayList<>();
        stages.forEach((stage, millis) -> {
            Percentiles p = Percentiles.of(millis);
            double share = total <= 0 ? 0 : millis.stream().mapToDouble(Double::doubleValue).sum() / total;
            out.printf("    %-80s %s / %s / %s / %s, %.0f%%%n", stage, Report.millis(p.p50()), Report.millis(p.p95()),
                    Report.millis(p.p99()), Report.millis(p.max()), share * 100);
            figure.add(Report.millis(p.p50()) + " / " + Report.millis(p.p99()));
        });
        report.figure(FRESHNESS_STAGES, String.join("; ", figure));
    }

    private void phaseEnd(Monitor monitor, double from) {
        double to = monitor.seconds();
        monitor.printLag(out, from, to, 2);
        out.printf("  max lag in this phase: %s%n", monitor.maxLag(from, to));
    }

    private void memory(Monitor monitor, Report report) {
        memory(monitor.memory(ProcessMemory.Resident::rssKib), "resident memory (VmRSS, MiB; a shared page counts in every process)",
                MAX_RSS, report);
        memory(monitor.memory(ProcessMemory.Resident::pssKib), "proportional set size (PSS, MiB; a shared page split among its processes)",
                MAX_PSS, report);
    }

    private void memory(Map<String, long[]> kib, String title, String figure, Report report) {
        out.printf("%n== %s, sampled every second%n", title);
        if (kib.isEmpty()) {
            out.println("  no sample (is /proc readable, and does the platform run on this machine?)");
            report.missing(figure + "total", "no sample");
            return;
        }
        out.printf("  %-28s %8s %8s%n", "process", "max", "end");
        List<String> order = new ArrayList<>(kib.keySet().stream().filter(c -> !c.equals("total")).sorted().toList());
        order.add("total");
        for (String component : order) {
            long[] m = kib.get(component);
            out.printf("  %-28s %8d %8d%n", component, m[0] / 1024, m[1] / 1024);
            report.figure(figure + component, Long.toString(m[0] / 1024));
        }
    }
}
