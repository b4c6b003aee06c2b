package org.nbregistry.analytics;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.LocalInfrastructure;
import org.nbregistry.local.infra.RegistryTopics;
import org.nbregistry.local.infra.Server;
import org.nbregistry.local.infra.ServersDistribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * analytics-service at registry scale, as an operator runs it (the packaged application with a 2 GB heap, real Kafka and
 * the MongoDB-wire server of deploy/local): publishes a synthetic registry of N episodes (default 10^6; one patient
 * each, an EpisodeRecorded with the study's covariates and a FollowUpRecorded, 40% deaths) and measures
 *
 * <ol>
 *   <li>rebuild: a service on an empty database and a new consumer group, from its start until it has applied every
 *       event (all 2N, its datasetVersion) and refreshed;</li>
 *   <li>one-record changes in the live service: a death recorded for one patient, from the send to the served
 *       statistics reflecting it, and the refresh's own time (registry_analytics_refresh_seconds) and the batch's
 *       apply time;</li>
 *   <li>heap after a full GC (jcmd), with the whole dataset loaded;</li>
 *   <li>cold start: the service stopped and started again on the persisted projection, from its start until it serves
 *       the statistics at the full dataset version.</li>
 * </ol>
 *
 * Not a test (CI never runs it): figures are printed and written to target/scale/figures.txt. Usage, after
 * {@code ./mvnw -o -B package -DskipTests -pl services/analytics-service -am} and a test-compile, see the README.
 * Arguments: [episodes] [changes].
 */
public final class AnalyticsAtScale {

    private static final Duration PATIENCE = Duration.ofHours(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String[] TYPES = {"relapse", "progression", "refractory"};
    private static final String[] SITES = {"S01", "S02", "S03", "S04", "S05", "S06"};
    private static final List<String> JVM = List.of("-Xmx2g", "-XX:+UseParallelGC");

    private final int episodes;
    /** Each published episode's site: a patient is its site and pseudonym, so a later event must name the same site. */
    private final byte[] siteOf;
    private final List<String> figures = new ArrayList<>();

    private AnalyticsAtScale(int episodes) {
        this.episodes = episodes;
        this.siteOf = new byte[episodes];
    }

    public static void main(String[] args) throws Exception {
        boolean memory = args.length > 0 && args[0].equals("memory");
        int first = memory ? 1 : 0;
        int episodes = args.length > first ? Integer.parseInt(args[first]) : 1_000_000;
        int changes = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 20;
        if (memory) {
            new AnalyticsAtScale(episodes).inMemory(changes);
        } else {
            new AnalyticsAtScale(episodes).run(changes);
        }
    }

    /**
     * The live statistics alone, in this JVM, on the same synthetic registry as histories: what loading them costs
     * (the cold start less reading MongoDB), the heap they hold, and a one-record change's refresh in the service's
     * own {@link LiveStatistics} (its records derived again, put into the 40 analyses, the refresh), without Kafka and
     * MongoDB in the way. Run it with -Xmx2g to check the heap target.
     */
    private void inMemory(int changes) {
        List<PatientHistory> histories = new ArrayList<>(episodes);
        SplittableRandom random = new SplittableRandom(20260601L);
        for (int i = 0; i < episodes; i++) {
            String site = SITES[random.nextInt(SITES.length)];
            LocalDate date = LocalDate.of(2014, 1, 1).plusDays(random.nextInt(4000));
            boolean yes = random.nextInt(3) == 0;
            Map<String, String> attributes = Map.of("mycnStatus", yes ? "amplified" : "not_amplified",
                    "lymphNodeInvolvement", random.nextBoolean() ? "regional" : "none", "biopsyPerformed", String.valueOf(random.nextBoolean()),
                    "molecularProfilingPerformed", String.valueOf(yes), "clinicalTrialEnrolled", String.valueOf(random.nextInt(3) == 0));
            LocalDate last = date.plusDays(30 + random.nextInt(2500));
            histories.add(PatientHistory.empty("SCALE-" + i)
                    .withEpisode("ep-" + i, new EpisodeFacts("E" + i, site, "EP-1", TYPES[random.nextInt(3)], date, 1, attributes))
                    .nextVersion().withFollowUp("fu-" + i, last, random.nextInt(10) < 4 ? last : null).nextVersion());
        }
        LiveStatistics live = new LiveStatistics((task, delay) -> task.run(), java.time.Clock.systemUTC(), 0);
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        live.replacePatients(histories);
        live.refreshNow();
        figure("in memory, %d episodes: loading the histories and the first refresh %.1f s (the cold start less reading MongoDB)",
                episodes, seconds(started));
        figure("  CPU of this JVM's threads for that: %.1f s", (processCpuNanos() - cpuStarted) / 1e9);
        List<Double> wall = new ArrayList<>();
        List<Double> refresh = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int c = 0; c < changes; c++) {
            int i = random.nextInt(episodes);
            LocalDate death = LocalDate.of(2025, 6, 1).plusDays(c);
            PatientHistory changed = histories.get(i).withFollowUp("change-" + c, death, death).nextVersion();
            histories.set(i, changed);
            long t = System.nanoTime();
            long cpuBefore = processCpuNanos();
            live.replacePatient(changed);
            wall.add((System.nanoTime() - t) / 1e6);
            cpu.add((processCpuNanos() - cpuBefore) / 1e6);
            refresh.add(live.current().computeNanos() / 1e6);
        }
        figure("  one-record change (a death), %d times: derive + put + refresh median %.2f ms, max %.2f ms; refresh alone median %.2f ms;"
                + " CPU of this JVM's threads per change median %.2f ms", changes, median(wall), max(wall), median(refresh), median(cpu));
        histories = null;
        System.gc();
        figure("  heap after a full GC: %d MB (statistics and histories of %d episodes; dataset version %d)",
                java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, episodes, live.datasetVersion());
    }

    private void run(int changes) throws Exception {
        Path dir = Path.of("target", "scale");
        try (LocalInfrastructure infra = LocalInfrastructure.builder(dir.resolve("servers")).servers(Server.KAFKA, Server.MONGODB)
                .tuning(LocalInfrastructure.Tuning.THROUGHPUT).fresh(true).start()) {
            String kafka = infra.kafka().bootstrapServers();
            RegistryTopics.ensure(kafka, ServersDistribution.repositoryRoot(), 3);
            long events = publish(kafka);
            Map<String, String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka,
                    "QUARKUS_MONGODB_CONNECTION_STRING", infra.mongodb().connectionString(),
                    "REGISTRY_ANALYTICS_DATABASE", "scale", "REGISTRY_ANALYTICS_CONSUMER_GROUP", "analytics-scale",
                    "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKeyFile(dir).toString(), "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);

            long started = System.nanoTime();
            try (ServiceProcess rebuild = stoppedOnExit(ServiceProcess.start("scale-rebuild", environment, JVM))) {
                awaitVersion(rebuild, events, true, 100);
                double cpu = cpuSeconds(rebuild);
                figure("rebuild from the topics (%d events): %.1f s from the JVM's start to the last event refreshed; the service's CPU %.1f s (%.0f µs per event)",
                        events, seconds(started), cpu, cpu * 1e6 / events);
                figure("heap after a full GC with the dataset loaded: %d MB", heapAfterGc(rebuild) >> 20);
                oneRecordChanges(rebuild, kafka, changes, events);
            }
            started = System.nanoTime();
            try (ServiceProcess restarted = stoppedOnExit(ServiceProcess.start("scale-cold-start", environment, JVM))) {
                awaitVersion(restarted, events + changes, false, 100);
                double cpu = cpuSeconds(restarted);
                figure("cold start from the persisted projection: %.1f s from the JVM's start to the statistics served; the service's CPU %.1f s",
                        seconds(started), cpu);
                figure("heap after a full GC after the cold start: %d MB", heapAfterGc(restarted) >> 20);
            }
        }
        Files.write(dir.resolve("figures.txt"), figures);
    }

    /** An interrupted run (Ctrl-C) stops the service it started too; the servers stop with this JVM on their own. */
    private static ServiceProcess stoppedOnExit(ServiceProcess service) {
        Runtime.getRuntime().addShutdownHook(new Thread(service::crash, "stop-" + service.port()));
        return service;
    }

    /** Two events per episode, keyed by patient, as episode-service publishes them. */
    private long publish(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        SplittableRandom random = new SplittableRandom(20260601L);
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < episodes; i++) {
                String patient = "SCALE-" + i;
                siteOf[i] = (byte) random.nextInt(SITES.length);
                String site = SITES[siteOf[i]];
                LocalDate date = LocalDate.of(2014, 1, 1).plusDays(random.nextInt(4000));
                boolean yes = random.nextInt(3) == 0;
                String episode = RegistryEvents.envelope(RegistryEvents.id("scale:ep:" + i), "EpisodeRecorded", patient, "episode-service", """
                        {"episodeId":"%s","site":"%s","recordId":"EP-1","patientPseudonym":"%s","episodeType":"%s","episodeDate":"%s",
                         "episodeOrder":1,"mycnStatus":"%s","lymphNodeInvolvement":"%s","biopsy":{"performed":%s},
                         "molecularProfiling":{"performed":%s,"methods":[]},"clinicalTrial":{"enrolled":%s}}"""
                        .formatted(RegistryEvents.id("scale:episode:" + i), site, patient, TYPES[random.nextInt(3)], date,
                                yes ? "amplified" : "not_amplified", random.nextBoolean() ? "regional" : "none", random.nextBoolean(),
                                yes, random.nextInt(3) == 0));
                LocalDate last = date.plusDays(30 + random.nextInt(2500));
                boolean died = random.nextInt(10) < 4;
                producer.send(new ProducerRecord<>(RegistryEvents.EPISODES, patient, episode));
                producer.send(new ProducerRecord<>(RegistryEvents.EPISODES, patient, followUp(patient, site, last, died ? last : null, i, 0)));
            }
        }
        long events = 2L * episodes;
        figure("published %d events (%d episodes) in %.1f s", events, episodes, seconds(started));
        return events;
    }

    private static String followUp(String patient, String site, LocalDate last, LocalDate death, int i, int revision) {
        return RegistryEvents.envelope(RegistryEvents.id("scale:fu:" + i + ":" + revision), "FollowUpRecorded", patient, "episode-service", """
                {"followUpId":"%s","site":"%s","recordId":"FU-%d","patientPseudonym":"%s","date":"%s","vitalStatus":"%s",
                 "lastFollowUpDate":"%s","deathDate":%s}""".formatted(RegistryEvents.id("scale:followup:" + i + ":" + revision), site,
                revision, patient, last, death == null ? "alive" : "dead", last, death == null ? "null" : "\"" + death + "\""));
    }

    /** One death at a time, each awaited until the served statistics reflect it. */
    private void oneRecordChanges(ServiceProcess service, String bootstrapServers, int changes, long events) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<Double> endToEnd = new ArrayList<>();
        List<Double> refresh = new ArrayList<>();
        List<Double> apply = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int c = 0; c < changes; c++) {
                int i = random.nextInt(episodes);
                String patient = "SCALE-" + i;
                LocalDate death = LocalDate.of(2025, 6, 1).plusDays(c);
                String event = RegistryEvents.acceptedAt(followUp(patient, SITES[siteOf[i]], death, death, i, c + 1), Instant.now());
                double[] refreshBefore = timer(service, "registry_analytics_refresh_seconds");
                double[] applyBefore = timer(service, "registry_analytics_batch_apply_seconds");
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(RegistryEvents.EPISODES, patient, event)).get();
                awaitVersion(service, events + c + 1, true, 2);
                endToEnd.add((System.nanoTime() - sent) / 1e6);
                double[] refreshAfter = timerAfter(service, "registry_analytics_refresh_seconds", refreshBefore);
                double[] applyAfter = timerAfter(service, "registry_analytics_batch_apply_seconds", applyBefore);
                refresh.add((refreshAfter[1] - refreshBefore[1]) * 1e3 / Math.max(1, refreshAfter[0] - refreshBefore[0]));
                apply.add((applyAfter[1] - applyBefore[1]) * 1e3 / Math.max(1, applyAfter[0] - applyBefore[0]));
            }
        }
        figure("one-record change (a death), %d times: send to served statistics (polled) median %.1f ms, max %.1f ms", changes,
                median(endToEnd), max(endToEnd));
        figure("  refresh (registry_analytics_refresh_seconds, the statistics' own time): median %.2f ms, max %.2f ms",
                median(refresh), max(refresh));
        figure("  batch apply (read, apply, write, hand over): median %.2f ms, max %.2f ms", median(apply), max(apply));
    }

    /**
     * Waits until the service serves statistics at this dataset version (refreshed, when asked), asking every
     * {@code pollMillis}: often for a one-record change, seldom while a long load runs (the polls cost the service CPU).
     */
    private static void awaitVersion(ServiceProcess service, long version, boolean refreshed, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service stopped; see " + service.log());
            }
            String status = get(service, "/v1/statistics/status");
            if (status != null) {
                long applied = number(status, "datasetVersion");
                if (applied >= version && (!refreshed || number(status, "refreshedVersion") >= version)) {
                    return;
                }
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    System.out.printf("  ... %d of %d applied%n", applied, version);
                    lastReport = System.nanoTime();
                }
            }
            Thread.sleep(status == null ? 200 : pollMillis);
        }
        throw new IllegalStateException("dataset version " + version + " not reached in " + PATIENCE);
    }

    /** CPU time the service's process has used so far (all its threads; the servers' own CPU is not in it). */
    private static double cpuSeconds(ServiceProcess service) {
        return ProcessHandle.of(service.pid()).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /**
     * CPU time of this JVM's Java threads so far (the refresh's parallel part on the common pool included, the
     * collector's threads not): unlike wall-clock time, hardly inflated by other processes on a busy machine.
     */
    private static long processCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }

    private static long heapAfterGc(ServiceProcess service) throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(service.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
        String metrics = get(service.managementPort(), "/q/metrics");
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\".*} (\\S+)$").matcher(metrics);
        double used = 0;
        while (m.find()) {
            used += Double.parseDouble(m.group(1));
        }
        return (long) used;
    }

    /**
     * A timer once it has recorded since {@code before} (the service records a refresh after it publishes it, so the
     * served version can be seen a moment before the timer moves); gives up after a second.
     */
    private static double[] timerAfter(ServiceProcess service, String name, double[] before) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        double[] now = timer(service, name);
        while (now[0] <= before[0] && System.nanoTime() < deadline) {
            Thread.sleep(5);
            now = timer(service, name);
        }
        return now;
    }

    /** count and sum of a Prometheus summary or timer. */
    private static double[] timer(ServiceProcess service, String name) {
        String metrics = get(service.managementPort(), "/q/metrics");
        return new double[] {sample(metrics, name + "_count"), sample(metrics, name + "_sum")};
    }

    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    /** The body of a 200 answer, or null while the service does not answer. */
    private static String get(ServiceProcess service, String path) {
        return get(service.port(), path);
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + TestTokens.analyst()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static Path publicKeyFile(Path dir) throws IOException {
        Path file = dir.resolve("public-key.pem");
        try (InputStream key = AnalyticsAtScale.class.getClassLoader().getResourceAsStream(TestTokens.PUBLIC_KEY_LOCATION)) {
            if (key == null) {
                throw new UncheckedIOException(new IOException(TestTokens.PUBLIC_KEY_LOCATION + " is not on the class path"));
            }
            Files.createDirectories(dir);
            Files.write(file, key.readAllBytes());
        }
        return file;
    }

    private void figure(String format, Object... args) {
        String line = format.formatted(args);
        System.out.println(line);
        figures.add(line);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
