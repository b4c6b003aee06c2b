package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nbregistry.contracts.CoxAnswers;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.RAnswers;
import org.nbregistry.local.bench.Bench;
import org.nbregistry.local.bench.BenchOptions;
import org.nbregistry.local.bench.BenchTarget;
import org.nbregistry.local.infra.RegistryTopics;
import org.nbregistry.local.infra.ServersDistribution;

/**
 * The whole platform as {@code ./platform up} runs it (three servers, the topics, the three services as
 * processes, tracing on), driven only through the services' HTTP APIs: the demo cohort sent through intake gives R's
 * numbers, one record's trace crosses the three services, a death submitted at intake changes the analysts' OS answer,
 * and a restart on the same data counts nothing twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndIT {

    private static final Path DATA = Path.of("target", "it-data", "end-to-end").toAbsolutePath();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "E2E";
    // Natural keys are (site, recordId): a per-run token keeps them unique even on a reused data folder.
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC); // the services judge dates in UTC

    /** The groupings demo-fixture/derive_demo.R derives, by the names analytics-service gives them. */
    private static final List<String> DEMO_FACTORS = List.of("episode_type", "episode_order", "site", "mycn_amplified",
            "lymph_node_metastases", "irinotecan_or_topotecan", "local_radiotherapy", "immunotherapy", "chemotherapy", "consolidation",
            "maintenance", "local_surgery", "trial_enrolment", "biopsy", "molecular_profiling", "response_or_stabilisation");

    private static PlatformOptions fresh;
    // Signed once: the data folder's key stays the same across the restart.
    private static String siteToken;
    private static String analystToken;
    private static Platform platform;
    private static String summary;
    /** Every process the platform started, so that none can be left behind. */
    private static final Set<ProcessHandle> processes = new LinkedHashSet<>();

    record Survival(long datasetVersion, int n, int events) {
    }

    @BeforeAll
    static void startPlatform() throws Exception {
        fresh = TestPlatforms.freshOnFreePorts(DATA, "--demo", "--traces");
        assertEquals(Catalog.SERVICES, fresh.services());
        start(fresh);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.stop();
        }
        List<ProcessHandle> left = TestPlatforms.awaitGone(processes, DATA);
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "still running after the platform stopped: " + TestPlatforms.describe(left));
    }

    /**
     * {@code --demo} sends the synthetic cohort through intake with each site's token; once episode- and
     * analytics-service have it, the analysts' curves, log-rank tests and hazard ratios equal what R's survival package
     * computes from the same cohort (demo-fixture/, derived by an independent R script), and so do multivariable Cox
     * models fitted on it (demo-fixture/demo_models.R).
     */
    @Test
    @Order(0)
    void theDemoCohortSentThroughIntakeGivesRsNumbers() throws Exception {
        assertTrue(summary.contains("Demo cohort (SYNTHETIC") && summary.contains(" applied now, 0 already there."), summary);
        assertTrue(!summary.contains("REJECTED"), summary);
        String sites = String.join(",", Catalog.DEMO_SITES);
        int episodes = RAnswers.resource("demo-fixture/os.expected.json").path("meta").path("n_rows").asInt();
        await("analytics with the whole demo cohort", () -> get(port("analytics"), "/v1/cohort/summary?site=" + sites, analystToken()),
                s -> s.path("episodes").path("count").asInt() == episodes);
        for (String endpoint : List.of("EFS", "OS")) {
            JsonNode r = RAnswers.resource("demo-fixture/" + endpoint.toLowerCase() + ".expected.json");
            String query = "/v1/survival?endpoint=" + endpoint + "&site=" + sites + "&times=365,730,1095";
            RAnswers.assertSurvivalEqualsR(endpoint, r, get(port("analytics"), query, analystToken()), null);
            JsonNode predictors = get(port("analytics"), "/v1/predictors?endpoint=" + endpoint + "&site=" + sites, analystToken());
            for (String factor : DEMO_FACTORS) {
                RAnswers.assertSurvivalEqualsR(endpoint, r, get(port("analytics"), query + "&groupBy=" + factor, analystToken()), factor);
                RAnswers.assertPredictorEqualsR(endpoint + " predictor " + factor, r.path("groups").path(factor),
                        RAnswers.find(predictors.path("predictors"), "factor", factor));
            }
            // Multivariable: MYCN adjusted for episode type and response (listwise), stratified and clustered, an interaction.
            for (JsonNode model : RAnswers.resource("demo-fixture/models.expected.json").path(endpoint.toLowerCase())) {
                CoxAnswers.assertModelEqualsR(endpoint + " " + model.path("name").asText(), model,
                        get(port("analytics"), CoxAnswers.query(endpoint, sites, model), analystToken()));
            }
        }
    }

    @Test
    @Order(1)
    void aFollowUpOfAnUnknownPatientIsRejectedWithItsReason() throws Exception {
        String stranger = "E2E-nobody-" + RUN;
        String id = post("/v1/follow-ups", Map.of("recordId", "FU-nobody-" + RUN,
                "patientPseudonym", stranger, "date", TODAY.minusDays(1).toString(), "vitalStatus", "alive"));

        JsonNode record = awaitVerdict(id);
        assertEquals("REJECTED", record.path("status").asText(), record.toString());
        JsonNode reason = record.path("reasons").path(0);
        assertEquals("patientPseudonym", reason.path("field").asText(), record.toString());
        assertEquals("known-patient", reason.path("rule").asText(), record.toString());
        assertTrue(reason.path("message").asText().contains(stranger), record.toString());

        // Only the site's own token sees it; none at all is refused.
        assertEquals(401, status("/v1/submissions/" + id, null));
        assertEquals(404, status("/v1/submissions/" + id, DevTokens.mint(DevKeys.ensure(DATA), "S01", DevTokens.SITE_ROLE,
                "e2e@S01", Duration.ofHours(1))));
    }

    @Test
    @Order(1)
    void upPrintsATokenPerDemoSiteThatIntakeAccepts() throws Exception {
        for (String site : Catalog.DEMO_SITES) {
            assertTrue(summary.contains("site " + site), summary);
        }
        String s01 = summary.lines().filter(l -> l.trim().startsWith("site S01")).findFirst().orElseThrow().trim().split("\\s+")[2];
        assertEquals(200, status("/v1/episodes", s01));
        String analyst = summary.lines().filter(l -> l.trim().startsWith("analyst ")).findFirst().orElseThrow().trim().split("\\s+")[1];
        assertEquals(403, status("/v1/episodes", analyst));
        // The statistics are the analyst's: the printed token reads them, a site's is refused, none is not enough.
        assertEquals(200, status(analytics("/v1/statistics/status"), analyst));
        assertEquals(403, status(analytics("/v1/statistics/status"), s01));
        assertEquals(401, status(analytics("/v1/statistics/status"), null));
        // A developer's platform serves the Swagger UI that production leaves off.
        assertEquals(200, status(analytics("/q/swagger-ui/"), null));
    }

    /**
     * The test starts a trace (its own traceparent on the POST); intake's request span continues it, the relay's record
     * carries it to episode-service's consumer, whose outbox event carries it on to analytics-service's consumer, each a
     * child of the span before it; the analytics refresh that makes the episode visible links to it.
     * {@code --traces} writes each span as a line of its service's log.
     */
    @Test
    @Order(1)
    void oneRecordsTraceCrossesTheThreeServices() throws Exception {
        String traceId = String.format("%032x", new BigInteger(128, new SecureRandom()));
        String id = post("/v1/episodes", Map.of("recordId", "EP-traced-" + RUN, "patientPseudonym", "E2E-traced-" + RUN,
                "episodeType", "relapse", "episodeDate", TODAY.minusDays(200).toString()), "00-" + traceId + "-00f067aa0ba902b7-01");
        assertEquals("APPLIED", awaitVerdict(id).path("status").asText());

        List<Span> intake = await("intake-service's spans of the trace", () -> spans("intake-service", traceId), s -> !s.isEmpty());
        assertTrue(intake.stream().anyMatch(s -> s.kind().equals("SERVER") && s.parent().equals("00f067aa0ba902b7")), intake.toString());
        Span episode = consumerSpan("episode-service", traceId);
        assertTrue(intake.stream().anyMatch(s -> s.id().equals(episode.parent())), episode + " continues " + intake);
        List<Span> episodeSpans = spans("episode-service", traceId);
        Span analytics = consumerSpan("analytics-service", traceId);
        assertTrue(episodeSpans.stream().anyMatch(s -> s.id().equals(analytics.parent())), analytics + " continues " + episodeSpans);
        await("the analytics refresh that links to the episode", () -> logLines("analytics-service", "name=\"analytics refresh\""),
                lines -> lines.stream().anyMatch(l -> l.contains(traceId + "/" + analytics.id())));
    }

    @Test
    @Order(2)
    void aDeathReachesAnalyticsAndARestartCountsNothingTwice() throws Exception {
        String patient = "E2E-p1-" + RUN;
        Survival empty = survival();
        long episodePosted = System.nanoTime();
        String episode = post("/v1/episodes", Map.of("recordId", "EP-p1-" + RUN, "patientPseudonym", patient,
                "episodeType", "relapse", "episodeDate", TODAY.minusDays(400).toString()));
        assertEquals("APPLIED", awaitVerdict(episode).path("status").asText());
        long applied = System.nanoTime();
        // APPLIED reaches intake and the episode reaches analytics on different topics; either may come first.
        Survival alive = await("analytics counts the episode", PlatformEndToEndIT::survival, s -> s.n() == empty.n() + 1);
        System.out.printf("[e2e] first episode POST -> APPLIED: %d ms, -> counted by analytics: %d ms%n",
                (applied - episodePosted) / 1_000_000, (System.nanoTime() - episodePosted) / 1_000_000);
        assertEquals(empty.events(), alive.events());

        // An analyst follows the live stream while the death is submitted at intake.
        BlockingQueue<JsonNode> refreshes = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = HTTP.send(HttpRequest.newBuilder(analytics("/v1/statistics/stream"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + analystToken()).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> stream.body().filter(line -> line.startsWith("data:")).forEach(line -> {
            try {
                refreshes.add(JSON.readTree(line.substring("data:".length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), "e2e-sse");
        reader.setDaemon(true);
        reader.start();
        assertTrue(refreshes.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS) != null, "the stream opens with a snapshot");

        long deathPosted = System.nanoTime();
        String death = post("/v1/follow-ups", Map.of("recordId", "FU-p1-" + RUN, "patientPseudonym", patient,
                "date", TODAY.minusDays(30).toString(), "vitalStatus", "dead"));
        JsonNode pushed = awaitRefresh(refreshes, alive.datasetVersion(), "OS");
        long streamed = System.nanoTime();
        Survival dead = await("analytics counts the death", PlatformEndToEndIT::survival,
                s -> s.events() == alive.events() + 1, Duration.ofMillis(20));
        System.out.printf("[e2e] death POST -> on the live stream: %d ms, -> changed OS answer: %d ms%n",
                (streamed - deathPosted) / 1_000_000, (System.nanoTime() - deathPosted) / 1_000_000);
        stream.body().close();
        assertEquals(alive.n(), dead.n());
        assertTrue(dead.datasetVersion() > alive.datasetVersion(), alive + " -> " + dead);
        assertTrue(pushed.path("datasetVersion").asLong() <= dead.datasetVersion(), pushed + " vs " + dead);
        assertEquals("APPLIED", awaitVerdict(death).path("status").asText());

        stopAndAssertNothingLeft();
        start(new PlatformOptions(fresh.command(), fresh.dataDir(), false, false, false, fresh.traces(), fresh.ports(), fresh.services()));

        Survival restarted = survival();
        assertEquals(List.of(dead.n(), dead.events()), List.of(restarted.n(), restarted.events()),
                "right after the restart: " + restarted);
        // Whatever the consumers had not committed before the stop comes again now; once analytics has read
        // everything, nothing may have been counted twice.
        awaitConsumed("analytics-service", "registry.episode-events", "registry.treatment-events");
        Survival settled = survival();
        assertEquals(List.of(dead.n(), dead.events()), List.of(settled.n(), settled.events()),
                "after analytics read the topics again: " + settled);
        JsonNode patientView = get(fresh.port(Catalog.service("episode").port()), "/v1/sites/" + SITE + "/patients/" + patient,
                DevTokens.mint(DevKeys.ensure(DATA), null, DevTokens.OPERATOR_ROLE, "e2e-operator", Duration.ofHours(1)));
        assertEquals(1, patientView.path("episodes").size(), patientView.toString());
        assertEquals(1, patientView.path("followUps").size(), patientView.toString());

        String second = post("/v1/episodes", Map.of("recordId", "EP-p2-" + RUN, "patientPseudonym",
                "E2E-p2-" + RUN, "episodeType", "refractory", "episodeDate", TODAY.minusDays(100).toString()));
        assertEquals("APPLIED", awaitVerdict(second).path("status").asText());
        await("analytics counts the new episode", PlatformEndToEndIT::survival, s -> s.n() != dead.n());
        awaitConsumed("analytics-service", "registry.episode-events", "registry.treatment-events");
        Survival last = survival();
        assertEquals(List.of(dead.n() + 1, dead.events()), List.of(last.n(), last.events()), "counted once: " + last);
    }

    /**
     * {@code ./platform bench} against this platform, small: every record it sends is applied and reflected, and its
     * report has every figure, measured.
     */
    @Test
    @Order(3)
    void aSmallBenchReflectsEverythingAndReportsEveryFigure() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"bench", "--data", DATA.toString(), "--patients", "40",
                "--clients", "2", "--batch", "60", "--background", "20", "--probes", "5", "--burst", "200", "--timeout", "60"},
                ServersDistribution.repositoryRoot());
        BenchTarget target = PlatformLauncher.benchTarget(DATA).orElseThrow(() -> new AssertionError("no platform on " + DATA));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new Bench(options, target, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);

        assertEquals(0, exit, "the bench is complete: nothing rejected, nothing timed out");
        Map<String, String> table = new HashMap<>();
        report.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| figure")).forEach(l -> {
            String[] cells = l.substring(2, l.length() - 2).split(" \\| ", 2);
            table.put(cells[0], cells[1]);
        });
        for (String figure : Bench.FIGURES) {
            assertTrue(table.containsKey(figure) && !table.get(figure).startsWith("not measured"), figure + " in\n" + report);
        }
        assertEquals("0", table.get("load: records rejected"));
        assertEquals("0", table.get("burst: records rejected"));
        assertTrue(report.contains("5 of 5 probes reflected"), report);
        for (String process : List.of("intake-service", "episode-service", "analytics-service", "kafka", "mongodb", "postgresql")) {
            assertTrue(table.containsKey("max RSS (MiB), " + process), process + " in\n" + report);
            assertTrue(table.containsKey("max PSS (MiB), " + process), process + " in\n" + report);
        }
        // Shared pages count once in PSS, in every process mapping them in RSS.
        assertTrue(Long.parseLong(table.get("max PSS (MiB), total").replace(",", ""))
                <= Long.parseLong(table.get("max RSS (MiB), total").replace(",", "")), report);
    }

    /** The first refresh on the stream past the dataset version that recomputed the endpoint's analyses. */
    private static JsonNode awaitRefresh(BlockingQueue<JsonNode> refreshes, long pastVersion, String endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode refresh = refreshes.poll(100, TimeUnit.MILLISECONDS);
            if (refresh != null && refresh.path("datasetVersion").asLong() > pastVersion
                    && refresh.path("changed").findValuesAsText("endpoint").contains(endpoint)) {
                return refresh;
            }
        }
        throw new AssertionError("no refresh of " + endpoint + " past dataset version " + pastVersion + " on the stream");
    }

    /**
     * The same five histories sent by one site as FHIR bundles (POST /fhir/Bundle) and by another as JSON batches:
     * every record is applied, and the analysts see the same statistics for both sites.
     */
    @Test
    @Order(4)
    void historiesSentAsFhirGiveTheSameStatisticsAsSentAsJson() throws Exception {
        String fhirSite = "FX" + RUN.toUpperCase();
        String jsonSite = "JS" + RUN.toUpperCase();
        Path examples = ServersDistribution.repositoryRoot().resolve("api-specs/fhir/examples");
        String bundle = Files.readString(examples.resolve("patient-history.bundle.json")).replace("/sid/S01/", "/sid/" + fhirSite + "/");
        String records = Files.readString(examples.resolve("patient-history.records.json"));
        List<String> submissions = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            int n = k;
            // Each history its own record ids and death date, the same in both forms; each site its own pseudonyms.
            UnaryOperator<String> nth = text -> text.replace("2022-06-01", "2022-06-0" + n)
                    .replace("PT1", "PT" + n).replace("EP1", "EP" + n).replace("RA1", "RA" + n).replace("TL1", "TL" + n).replace("FU1", "FU" + n);
            submissions.add(send(fhirSite, "/fhir/Bundle", "application/fhir+json",
                    nth.apply(bundle).replace("PSN-EXAMPLE", "E2E-f" + n + "-" + RUN)));
            submissions.add(send(jsonSite, "/v1/batches", "application/json", nth.apply(records).replace("PSN-EXAMPLE", "E2E-j" + n + "-" + RUN)));
        }
        for (int i = 0; i < submissions.size(); i++) {
            String site = i % 2 == 0 ? fhirSite : jsonSite;
            String token = DevTokens.mint(DevKeys.ensure(DATA), site, DevTokens.SITE_ROLE, "e2e@" + site, Duration.ofHours(1));
            String id = submissions.get(i);
            JsonNode verdicts = await("verdicts on " + id, () -> get(port("intake"), "/v1/submissions/" + id, token),
                    s -> s.path("records").findValuesAsText("status").stream().noneMatch("ACCEPTED"::equals));
            assertEquals(List.of("APPLIED"), verdicts.path("records").findValuesAsText("status").stream().distinct().toList(), verdicts.toString());
        }
        await("analytics with both sites' histories", () -> get(port("analytics"), "/v1/cohort/summary?site=" + fhirSite + "," + jsonSite, analystToken()),
                summary -> summary.path("episodes").path("count").asInt() == 10);
        for (String query : List.of("/v1/cohort/summary?site=", "/v1/survival?endpoint=OS&times=365&site=", "/v1/survival?endpoint=EFS&times=365&site=")) {
            JsonNode viaFhir = sansCohort(get(port("analytics"), query + fhirSite, analystToken()));
            JsonNode viaJson = sansCohort(get(port("analytics"), query + jsonSite, analystToken()));
            assertEquals(viaJson, viaFhir, query);
        }
        assertEquals(5, get(port("analytics"), "/v1/cohort/summary?site=" + fhirSite, analystToken()).path("episodes").path("count").asInt());
    }

    /** An analysis without what names its cohort or its moment, so two sites' analyses compare by content. */
    private static JsonNode sansCohort(JsonNode analysis) {
        ObjectNode copy = analysis.deepCopy();
        copy.remove(List.of("cohort", "asOf", "datasetVersion", "reflectsChangesUpTo", "sites"));
        return copy;
    }

    /** POSTs a body to intake as the site, expects 202, returns the submission id from the Location. */
    private static String send(String site, String path, String contentType, String body) throws Exception {
        String token = DevTokens.mint(DevKeys.ensure(DATA), site, DevTokens.SITE_ROLE, "e2e@" + site, Duration.ofHours(1));
        // The first FHIR bundle after a start waits for intake to load the FHIR R4 definitions it validates against.
        Duration patience = path.startsWith("/fhir/") ? Duration.ofSeconds(120) : Duration.ofSeconds(10);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(intake(path)).timeout(patience)
                .header("Content-Type", contentType).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), path + ": " + response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void start(PlatformOptions options) throws Exception {
        platform = new Platform(options, ServersDistribution.repositoryRoot(), Map.of());
        long started = System.nanoTime();
        summary = platform.start();
        System.out.printf("[e2e] platform ready in %.1f s (%s)%n", (System.nanoTime() - started) / 1e9,
                options.fresh() ? "fresh" : "same data");
        processes.addAll(TestPlatforms.processesOf(DATA));
    }

    private static void stopAndAssertNothingLeft() throws InterruptedException {
        platform.stop();
        platform = null;
        List<ProcessHandle> left = TestPlatforms.awaitGone(processes, DATA);
        assertTrue(left.isEmpty(), "still running after the platform stopped: " + TestPlatforms.describe(left));
    }

    // --- HTTP

    /** A span as {@code --traces} logs it (service-support's SpanLog). */
    record Span(String id, String parent, String kind, String line) {
        private static final Pattern FIELDS = Pattern.compile("span=(\\w+) parent=(\\w+) kind=(\\w+)");

        static Span of(String line) {
            Matcher m = FIELDS.matcher(line);
            assertTrue(m.find(), line);
            return new Span(m.group(1), m.group(2), m.group(3), line);
        }
    }

    private static List<Span> spans(String service, String traceId) throws IOException {
        return logLines(service, "span trace=" + traceId).stream().map(Span::of).toList();
    }

    private static Span consumerSpan(String service, String traceId) {
        return await(service + "'s consumer span of the trace", () -> spans(service, traceId),
                s -> s.stream().anyMatch(span -> span.kind().equals("CONSUMER")))
                .stream().filter(span -> span.kind().equals("CONSUMER")).findFirst().orElseThrow();
    }

    private static List<String> logLines(String service, String containing) throws IOException {
        Path log = DATA.resolve("services").resolve(service + ".log");
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(containing)).toList();
        }
    }

    /** POSTs a record of the test's site to intake, expects 202 with a Location, returns the submission id. */
    private static String post(String path, Map<String, String> record) throws Exception {
        return post(path, record, null);
    }

    /** @param traceParent a W3C traceparent to send, or null */
    private static String post(String path, Map<String, String> record, String traceParent) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(intake(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + siteToken());
        if (traceParent != null) {
            builder.header("traceparent", traceParent);
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(record))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), path + ": " + response.body());
        assertTrue(response.headers().firstValue("Location").isPresent(), "Location of " + path);
        return JSON.readTree(response.body()).path("id").asText();
    }

    /** The submission's only record once the owning service applied or rejected it. */
    private static JsonNode awaitVerdict(String submissionId) throws Exception {
        JsonNode submission = await("a verdict on submission " + submissionId,
                () -> get(port("intake"), "/v1/submissions/" + submissionId, siteToken()),
                s -> !s.path("records").path(0).path("status").asText().equals("ACCEPTED"));
        assertEquals(1, submission.path("records").size(), submission.toString());
        return submission.path("records").path(0);
    }

    private static int status(String intakePath, String token) throws Exception {
        return status(intake(intakePath), token);
    }

    private static int status(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Survival survival() throws Exception {
        JsonNode os = get(port("analytics"), "/v1/survival/os", analystToken());
        assertEquals("OS", os.path("endpoint").asText(), os.toString());
        return new Survival(os.path("datasetVersion").asLong(), os.path("n").asInt(), os.path("events").asInt());
    }

    private static JsonNode get(int port, String path) throws Exception {
        return get(port, path, null);
    }

    private static JsonNode get(int port, String path, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** An analyst's token, which the statistics want, signed like `./platform token --role analyst`. */
    private static String analystToken() {
        if (analystToken == null) {
            analystToken = DevTokens.mint(DevKeys.ensure(DATA), null, DevTokens.ANALYST_ROLE, "e2e-analyst", Duration.ofHours(1));
        }
        return analystToken;
    }

    /** A token of the test's site, signed with the data folder's development key as `./platform token` signs it. */
    private static String siteToken() {
        if (siteToken == null) {
            siteToken = DevTokens.mint(DevKeys.ensure(DATA), SITE, DevTokens.SITE_ROLE, "e2e@" + SITE, Duration.ofHours(1));
        }
        return siteToken;
    }

    private static URI analytics(String path) {
        return URI.create("http://127.0.0.1:" + port("analytics") + path);
    }

    private static URI intake(String path) {
        return URI.create("http://127.0.0.1:" + port("intake") + path);
    }

    private static int port(String service) {
        return fresh.port(Catalog.service(service).port());
    }

    // --- waiting

    interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, Probe<T> probe, Predicate<T> done) {
        return await(what, probe, done, Duration.ofMillis(100));
    }

    /** Asks again until the answer is the expected one: the platform is eventually consistent by design. */
    private static <T> T await(String what, Probe<T> probe, Predicate<T> done, Duration interval) {
        return Eventually.await(what, () -> {
            try {
                return probe.get();
            } catch (Exception e) {
                throw new IllegalStateException("asking for " + what, e);
            }
        }, done, DEADLINE, interval, String::valueOf);
    }

    /** Until the group's committed offsets reach the end of every partition of the topics. */
    private static void awaitConsumed(String group, String... topics) throws Exception {
        assertTrue(RegistryTopics.declared(ServersDistribution.repositoryRoot()).containsAll(List.of(topics)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + fresh.port(Catalog.KAFKA)))) {
            await(group + " at the end of " + List.of(topics), () -> lag(admin, group, topics), lag -> lag == 0);
        }
    }

    private static long lag(Admin admin, String group, String... topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topics)).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(topic ->
                topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += end.getValue().offset() - (offset == null ? 0 : offset.offset());
        }
        return lag;
    }
}
