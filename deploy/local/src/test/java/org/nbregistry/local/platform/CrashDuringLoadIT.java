package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.local.bench.BenchTarget;
import org.nbregistry.local.bench.FaultyLoad;
import org.nbregistry.local.bench.FaultyLoad.Answer;
import org.nbregistry.local.bench.FaultyLoad.Patient;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.infra.ServersDistribution;

/**
 * Crash safety under load: while a synthetic cohort streams into intake, the Kafka broker, episode-service (which
 * applies every clinical record) and one of two analytics-service instances are each killed with SIGKILL and started
 * again on the same data. intake keeps accepting (it stores first and publishes later), the other analytics instance
 * keeps answering, and once the platform has caught up every accepted record has been applied exactly once: each has
 * one verdict, APPLIED; episode-service holds exactly the records sent; both analytics instances count every episode
 * and every death once and give the same statistics.
 */
class CrashDuringLoadIT {

    private static final Path DATA = Path.of("target", "it-data", "crash-during-load").toAbsolutePath();
    /** Where intake publishes every clinical record, and episode-service's consumer group reads them. */
    private static final String INTAKE_TOPIC = "intake.clinical-records";
    private static final List<String> SITES = List.of("S01", "S02", "S03");
    private static final int RECORDS = 3000;
    private static final int BATCH = 40;
    private static final int CLIENTS = 2;
    /** Paced so that the load lasts about half a minute, long enough for every crash to fall inside it. */
    private static final double RECORDS_PER_SECOND = 100;
    /** intake answers this many batches while the broker is away before the broker is started again. */
    private static final int ANSWERS_DURING_OUTAGE = 3;
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PlatformOptions options;
    private static Platform platform;
    private static final Set<ProcessHandle> processes = new LinkedHashSet<>();
    private static final long T0 = System.nanoTime();

    @BeforeAll
    static void startPlatform() throws Exception {
        // Two analytics instances, each in its own consumer group over the shared projection, as Kubernetes runs them.
        options = TestPlatforms.freshOnFreePorts(DATA, "--services", "intake,episode,analytics,analytics-replica");
        platform = new Platform(options, ServersDistribution.repositoryRoot(), Map.of());
        platform.start();
        processes.addAll(TestPlatforms.processesOf(DATA));
        log("platform ready");
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        // Including the processes started again after the kills.
        processes.addAll(TestPlatforms.processesOf(DATA));
        if (platform != null) {
            platform.stop();
        }
        List<ProcessHandle> left = TestPlatforms.awaitGone(processes, DATA);
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "still running after the platform stopped: " + TestPlatforms.describe(left));
    }

    @Test
    void everyAcceptedRecordIsAppliedExactlyOnceThroughCrashesOfTheBrokerAndTheConsumers() throws Exception {
        BenchTarget target = PlatformLauncher.benchTarget(DATA).orElseThrow(() -> new AssertionError("no platform on " + DATA));
        String run = Long.toString(System.currentTimeMillis() / 1000, 36);
        FaultyLoad load = new FaultyLoad(target, SITES, 7, run, RECORDS, BATCH);
        Expected expected = Expected.of(load.patients());
        log("load: %,d records of %,d patients (%,d episodes, %,d of them ending in death) in %d batches of at most %d,"
                        + " %d clients at %.0f records/s", load.records(), load.patients().size(), expected.episodes(),
                expected.deathEvents(), load.batches(), BATCH, CLIENTS, RECORDS_PER_SECOND);

        // --- the load, and the crashes in the middle of it
        Crashes crashes = new Crashes(load, target.kafkaBootstrapServers());
        String analyst = DevTokens.mint(DevKeys.ensure(DATA), null, DevTokens.ANALYST_ROLE, "crash-analyst", Duration.ofHours(1));
        List<Integer> replicaWhilePrimaryDown = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, FaultyLoad.Fault> faults = Map.of(
                load.batches() / 5, () -> crashes.kill("kafka", true),
                load.batches() * 3 / 10, () -> {
                    crashes.kill("analytics-service", false);
                    replicaWhilePrimaryDown.add(status(port("analytics-replica"), "/v1/statistics/status", analyst));
                },
                load.batches() * 9 / 20, () -> crashes.kill("episode-service", false));
        List<Answer> answers = load.run(CLIENTS, RECORDS_PER_SECOND, faults, PATIENCE);
        log("load sent: %d batches answered, %d attempts failed and were sent again with their Idempotency-Key%s",
                answers.size(), load.retries().size(), load.retries().isEmpty() ? "" : ": " + load.retries());
        crashes.awaitRecovered();

        // intake stores first and publishes later: every record accepted, also while the broker was away.
        for (Answer answer : answers) {
            assertTrue(answer.submissionId() != null && answer.accepted() == answer.records() && answer.invalid().isEmpty(),
                    "every record of every batch is ACCEPTED (202): " + answer);
        }
        long duringOutage = answers.stream().filter(a -> a.sentNanos() >= crashes.brokerKilled && a.answeredNanos() <= crashes.brokerBack).count();
        log("%d batches were sent and answered while the broker was down", duringOutage);
        assertTrue(duringOutage >= ANSWERS_DURING_OUTAGE, "intake answered " + duringOutage + " batches while the broker was down");

        // --- caught up: every record final at intake, analytics without lag and refreshed
        FaultyLoad.Reflected reflected = load.awaitReflected(answers, PATIENCE);
        log("reflected: %s, %,d records APPLIED, %d rejected%s", reflected.reflected(), reflected.applied(),
                reflected.rejected().size(), reflected.reflected() ? "" : ", still waiting for " + reflected.waitingFor());
        assertTrue(reflected.reflected(), "everything reflected; still waiting for " + reflected.waitingFor());
        assertEquals(List.of(), reflected.rejected(), "the cohort passes every rule");
        assertEquals(load.records(), reflected.applied(), "every accepted record ends APPLIED");

        // --- exactly once, seen on the topics, in the services' state and in the statistics
        Map<String, List<ConsumerRecord<String, String>>> topics = new HashMap<>();
        for (String topic : List.of(INTAKE_TOPIC, "registry.record-status")) {
            topics.put(topic, readAll(target.kafkaBootstrapServers(), topic));
        }
        Map<String, List<JsonNode>> verdicts = assertEachRecordPublishedOnceAndJudgedOnce(topics, expected, run);
        assertTheRestartedConsumerAppliedTheRest("episode-service", INTAKE_TOPIC, topics, verdicts, crashes);
        assertServicesHoldExactlyTheRecordsSent(expected);
        assertEquals(List.of(200), replicaWhilePrimaryDown, "the other analytics instance answered while one was down");
        JsonNode os = get(port("analytics"), "/v1/survival/os", analyst);
        log("analytics OS: n %d, events %d (expected %d and %d)", os.path("n").asInt(), os.path("events").asInt(),
                expected.episodes(), expected.deathEvents());
        assertEquals(List.of(expected.episodes(), expected.deathEvents()), List.of(os.path("n").asInt(), os.path("events").asInt()),
                "analytics counts every episode and every death once: " + os);
        // The replica may still be refreshing.
        JsonNode replicaOs = Eventually.await("the replica's OS curve", () -> {
            try {
                return get(port("analytics-replica"), "/v1/survival/os", analyst);
            } catch (Exception e) {
                throw new IllegalStateException("asking the replica", e);
            }
        }, answer -> answer.path("curve").equals(os.path("curve")), Duration.ofSeconds(60), Duration.ofMillis(500), String::valueOf);
        assertEquals(os.path("curve"), replicaOs.path("curve"), "both analytics instances give the same OS curve");
        assertEquals(List.of(expected.episodes(), expected.deathEvents()),
                List.of(replicaOs.path("n").asInt(), replicaOs.path("events").asInt()), "the replica counts the same");
    }

    /**
     * On the topics, by event id: intake published each record under one id (a re-send after the broker's crash
     * repeats that id, which the consumer skips), and episode-service gave each submitted record one verdict, APPLIED;
     * a second verdict with a new id would mean the record was applied twice. Answers the verdict messages by
     * submission and record.
     */
    private static Map<String, List<JsonNode>> assertEachRecordPublishedOnceAndJudgedOnce(
            Map<String, List<ConsumerRecord<String, String>>> topics, Expected expected, String run) throws Exception {
        Map<String, Set<String>> published = new HashMap<>();
        int publishedMessages = 0;
        for (ConsumerRecord<String, String> message : topics.get(INTAKE_TOPIC)) {
            JsonNode event = JSON.readTree(message.value());
            String recordId = event.path("data").path("recordId").asText();
            if (expected.recordIds().contains(recordId)) {
                publishedMessages++;
                published.computeIfAbsent(event.path("data").path("site").asText() + "/" + recordId, k -> new HashSet<>())
                        .add(event.path("id").asText());
            }
        }
        Map<String, List<JsonNode>> messages = new HashMap<>();
        Map<String, Set<String>> verdicts = new HashMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Set<String> judges = new TreeSet<>();
        for (ConsumerRecord<String, String> message : topics.get("registry.record-status")) {
            JsonNode event = JSON.readTree(message.value());
            JsonNode data = event.path("data");
            if (expected.recordIds().contains(data.path("recordId").asText())) {
                messages.computeIfAbsent(submittedRecord(data), k -> new ArrayList<>()).add(event);
                verdicts.computeIfAbsent(submittedRecord(data), k -> new HashSet<>()).add(event.path("id").asText());
                statuses.merge(data.path("status").asText(), 1, Integer::sum);
                judges.add(event.path("source").asText());
            }
        }
        int verdictMessages = messages.values().stream().mapToInt(List::size).sum();
        log("topics: %,d records published in %,d messages (%d repeated), %,d verdicts in %,d messages (%d repeated), statuses %s",
                published.size(), publishedMessages, publishedMessages - published.size(), verdicts.size(), verdictMessages,
                verdictMessages - verdicts.size(), statuses);
        assertEquals(expected.recordIds().size(), published.size(), "every record of run " + run + " published");
        assertEquals(Map.of(), twice(published), "records published under more than one event id");
        assertEquals(expected.recordIds().size(), verdicts.size(), "one verdict per submitted record");
        assertEquals(Map.of(), twice(verdicts), "records given more than one verdict (applied twice)");
        assertEquals(Set.of("APPLIED"), statuses.keySet(), "every verdict APPLIED");
        assertEquals(Set.of("episode-service"), judges, "one service judges every clinical record");
        return messages;
    }

    private static String submittedRecord(JsonNode data) {
        return data.path("submissionId").asText() + "/" + data.path("recordId").asText();
    }

    /**
     * The instance started after the kill resumed at the offsets its predecessor had committed, and applied what its
     * predecessor had not: it gave new verdicts. Records polled again that its predecessor had already judged (applied,
     * but not yet committed) got no second verdict, as the exactly-once check above shows; how many there were depends
     * on where the kill fell, so it is only printed.
     */
    private static void assertTheRestartedConsumerAppliedTheRest(String service, String topic,
                                                                 Map<String, List<ConsumerRecord<String, String>>> topics,
                                                                 Map<String, List<JsonNode>> verdicts, Crashes crashes) throws Exception {
        Instant restarted = crashes.restartedAt.get(service);
        Map<Integer, Long> resumedAt = new TreeMap<>();
        crashes.committedAtRestart.get(service).forEach((partition, offset) -> {
            if (partition.topic().equals(topic)) {
                resumedAt.put(partition.partition(), offset);
            }
        });
        int again = 0;
        int judgedBefore = 0;
        for (ConsumerRecord<String, String> message : topics.get(topic)) {
            if (message.offset() >= resumedAt.getOrDefault(message.partition(), 0L)) {
                again++;
                List<JsonNode> judged = verdicts.getOrDefault(submittedRecord(JSON.readTree(message.value()).path("data")), List.of());
                judgedBefore += judged.stream().anyMatch(v -> Instant.parse(v.path("occurredAt").asText()).isBefore(restarted)) ? 1 : 0;
            }
        }
        long newVerdicts = verdicts.values().stream().flatMap(List::stream)
                .filter(v -> v.path("source").asText().equals(service) && !Instant.parse(v.path("occurredAt").asText()).isBefore(restarted))
                .map(v -> v.path("id").asText()).distinct().count();
        log("%s resumed %s at its predecessor's offsets %s (by partition): %,d records from there, %,d of them already judged before the kill"
                + " (its inbox skipped them); %,d new verdicts since", service, topic, resumedAt.values(), again, judgedBefore, newVerdicts);
        assertTrue(newVerdicts > 0, service + " applied records after its restart");
    }

    private static Map<String, Set<String>> twice(Map<String, Set<String>> idsByRecord) {
        return idsByRecord.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Each patient's file, as an operator reads it at episode-service: exactly the patient record, episodes, response
     * assessments, follow-ups and treatment lines sent.
     */
    private static void assertServicesHoldExactlyTheRecordsSent(Expected expected) throws Exception {
        String operator = DevTokens.mint(DevKeys.ensure(DATA), null, DevTokens.OPERATOR_ROLE, "crash-operator", Duration.ofHours(1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> checks = new ArrayList<>();
            for (Patient patient : expected.patients()) {
                checks.add(pool.submit(() -> differences(patient, operator)));
            }
            List<String> differences = new ArrayList<>();
            for (Future<List<String>> check : checks) {
                differences.addAll(check.get(5, TimeUnit.MINUTES));
            }
            log("services: %d patient files read at episode-service, %d differences", expected.patients().size(),
                    differences.size());
            assertEquals(List.of(), differences.stream().limit(20).toList(), differences.size() + " differences from what was sent");
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> differences(Patient patient, String operator) throws Exception {
        Map<String, List<String>> sent = patient.records().stream().collect(Collectors.groupingBy(DemoRecord::recordType,
                Collectors.mapping(DemoRecord::recordId, Collectors.toList())));
        JsonNode file = get(port("episode"), "/v1/sites/" + patient.site() + "/patients/" + patient.pseudonym(), operator);
        JsonNode lines = get(port("episode"), "/v1/sites/" + patient.site() + "/patients/" + patient.pseudonym() + "/treatments", operator);
        Map<String, List<String>> held = new HashMap<>();
        if (!file.path("patient").isMissingNode()) {
            held.put("patient", List.of(file.path("patient").path("recordId").asText()));
        }
        held.put("episode", recordIds(file.path("episodes")));
        held.put("response-assessment", recordIds(file.path("responseAssessments")));
        held.put("follow-up", recordIds(file.path("followUps")));
        held.put("treatment", recordIds(lines));
        List<String> differences = new ArrayList<>();
        for (String type : List.of("patient", "episode", "response-assessment", "follow-up", "treatment")) {
            List<String> want = sent.getOrDefault(type, List.of()).stream().sorted().toList();
            List<String> have = held.getOrDefault(type, List.of()).stream().sorted().toList();
            if (!want.equals(have)) {
                differences.add(patient.pseudonym() + " " + type + ": sent " + want + ", held " + have);
            }
        }
        return differences;
    }

    private static List<String> recordIds(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.path("recordId").asText()));
        return ids;
    }

    /** What the cohort sent adds up to. */
    private record Expected(List<Patient> patients, Set<String> recordIds, int episodes, int deathEvents) {

        static Expected of(List<Patient> patients) {
            Set<String> recordIds = new HashSet<>();
            int episodes = 0;
            int deathEvents = 0;
            for (Patient patient : patients) {
                patient.records().forEach(r -> recordIds.add(r.recordId()));
                long ofPatient = patient.records().stream().filter(r -> r.recordType().equals("episode")).count();
                boolean died = patient.records().stream().anyMatch(r -> "dead".equals(r.body().get("vitalStatus")));
                episodes += (int) ofPatient;
                // OS runs from each episode to death: a patient who died ends every one of their episodes with an event.
                deathEvents += died ? (int) ofPatient : 0;
            }
            return new Expected(patients, Set.copyOf(recordIds), episodes, deathEvents);
        }
    }

    /**
     * Kills a process the moment the load reaches its batch (the load waits for the kill, not for the restart), and
     * starts it again in the background on the same data and port, one restart at a time. The broker stays away until
     * intake has answered {@value #ANSWERS_DURING_OUTAGE} more batches.
     */
    private static final class Crashes {

        private final FaultyLoad load;
        private final ExecutorService restarts = Executors.newSingleThreadExecutor();
        private final List<Future<?>> recovered = Collections.synchronizedList(new ArrayList<>());
        /** When each process began to start again: what it did afterwards is its successor's. */
        final Map<String, Instant> restartedAt = new ConcurrentHashMap<>();
        /** Where a killed consumer's group had got to: its successor starts from there. */
        final Map<String, Map<TopicPartition, Long>> committedAtRestart = new ConcurrentHashMap<>();
        private final String kafka;
        volatile long brokerKilled = Long.MAX_VALUE;
        volatile long brokerBack = Long.MIN_VALUE;

        Crashes(FaultyLoad load, String kafka) {
            this.load = load;
            this.kafka = kafka;
        }

        void kill(String name, boolean broker) throws InterruptedException {
            int answeredAtKill = load.answered();
            long killed = System.nanoTime();
            long pid = platform.kill(name);
            log("kill -9 %s (pid %d) with %d of %d batches answered", name, pid, answeredAtKill, load.batches());
            if (broker) {
                brokerKilled = killed;
            }
            recovered.add(restarts.submit(() -> {
                if (broker) {
                    // Up to CLIENTS - 1 of the answers may be to batches sent before the kill.
                    int awaited = answeredAtKill + ANSWERS_DURING_OUTAGE + CLIENTS - 1;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (load.answered() < awaited && System.nanoTime() < deadline) {
                        Thread.sleep(100); // intake's answers are only observable by looking again
                    }
                    log("%d batches answered while %s is down; starting it again", load.answered() - answeredAtKill, name);
                }
                if (!broker) {
                    committedAtRestart.put(name, committed(kafka, name)); // the group is named after the service
                }
                long restarting = System.nanoTime();
                restartedAt.put(name, Instant.now());
                platform.restart(name);
                if (broker) {
                    brokerBack = System.nanoTime();
                }
                log("%s started again on the same data and port, ready after %.1f s", name, (System.nanoTime() - restarting) / 1e9);
                return null;
            }));
        }

        void awaitRecovered() throws Exception {
            restarts.shutdown();
            for (Future<?> restart : recovered) {
                restart.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** The consumer group's committed offsets. */
    private static Map<TopicPartition, Long> committed(String kafka, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    /** Every message on the topic, read from the beginning to the end offsets taken first. */
    private static List<ConsumerRecord<String, String>> readAll(String kafka, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> messages = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " to its end took over 60 s");
                consumer.poll(Duration.ofMillis(500)).forEach(messages::add);
            }
            return messages;
        }
    }

    private static JsonNode get(int port, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static int status(int port, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int port(String service) {
        return options.port(Catalog.service(service).port());
    }

    /** Plain stdout, stamped with the seconds since the test class loaded, so that the log tells what happened when. */
    private static void log(String format, Object... args) {
        System.out.printf("[crash %6.1f s] %s%n", (System.nanoTime() - T0) / 1e9, String.format(format, args));
    }
}
