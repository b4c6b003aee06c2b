package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;

/** The live stream on real Kafka and MongoDB-wire: an event sent to Kafka arrives on the stream as a refresh. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class LiveStreamIT {

    /** From sending to Kafka to the message on the stream; refreshes are 100 ms apart, the rest is Kafka and MongoDB. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/v1/statistics/stream")
    URI stream;

    /** One server-sent event as a client reads it. */
    record Event(String name, String id, JsonPath data) {
    }

    @Test
    void anEventSentToKafkaArrivesOnTheStreamAsARefreshOfTheAnalysesItChanged() throws Exception {
        try (EventStream events = EventStream.open(stream)) {
            Event snapshot = events.next(DEADLINE);
            assertEquals("snapshot", snapshot.name());
            assertEquals(List.of(), snapshot.data().getList("changed"));
            assertEquals(snapshot.id(), snapshot.data().getString("refreshCount"));
            long startVersion = snapshot.data().getLong("datasetVersion");

            String site = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
            long sent;
            try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
                // Five, so that the site's answer is above the disclosure threshold and shows them.
                for (int p = 0; p < 5; p++) {
                    String patient = site + "-P" + p;
                    kafka.send(EPISODES, patient, RegistryEvents.episode(patient, site, "EP-1", "relapse", "2023-01-01", 1));
                }
                sent = System.nanoTime();
            }
            long applied = awaitAppliedVersion(site);
            assertTrue(applied > startVersion);

            // Every refresh until the one that reflects the episode, each a message of its own.
            boolean overallOsChanged = false;
            boolean siteGroupingChanged = false;
            long previousRefresh = snapshot.data().getLong("refreshCount");
            Event refresh;
            do {
                long left = DEADLINE.toNanos() - (System.nanoTime() - sent);
                refresh = events.next(Duration.ofNanos(Math.max(left, 1)));
                assertEquals("refresh", refresh.name());
                assertTrue(refresh.data().getLong("refreshCount") > previousRefresh, "refreshes arrive once, in order");
                previousRefresh = refresh.data().getLong("refreshCount");
                List<Map<String, Object>> changed = refresh.data().getList("changed");
                overallOsChanged |= changed.stream().anyMatch(c -> "OS".equals(c.get("endpoint")) && c.get("groupBy") == null);
                siteGroupingChanged |= changed.stream().anyMatch(c -> "EFS".equals(c.get("endpoint")) && "site".equals(c.get("groupBy")));
            } while (refresh.data().getLong("datasetVersion") < applied);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(millis <= DEADLINE.toMillis(), "arrived after " + millis + " ms");
            assertTrue(overallOsChanged, "a new episode changes overall OS");
            assertTrue(siteGroupingChanged, "and the grouping by site, with a new site");
            assertNotNull(refresh.data().getString("reflectsChangesUpTo"));
            assertNotNull(refresh.data().getString("computedAt"));
        }
    }

    @Test
    void theServerForgetsAClientThatHasGone() throws Exception {
        int before;
        try (EventStream events = EventStream.open(stream)) {
            events.next(DEADLINE);
            before = status().getInt("streamClients");
            assertTrue(before >= 1, "this client is counted");
        }
        RegistryEvents.await(LiveStreamIT::status, s -> s.getInt("streamClients") < before);
    }

    /** A dataset version that includes the site's episodes (the filtered answer is computed from the dataset itself). */
    private static long awaitAppliedVersion(String site) {
        return RegistryEvents.await(() -> given().get("/v1/survival?endpoint=OS&site=" + site).then().statusCode(200).extract().jsonPath(),
                a -> !a.getBoolean("overall.suppressed") && a.getInt("overall.n") == 5).getLong("datasetVersion");
    }

    private static JsonPath status() {
        return given().get("/v1/statistics/status").then().statusCode(200).extract().jsonPath();
    }

    /** A minimal EventSource: reads the stream on its own thread and queues each complete event. */
    static final class EventStream implements AutoCloseable {
        private final InputStream body;
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private final Thread reader;

        private EventStream(InputStream body) {
            this.body = body;
            this.reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static EventStream open(URI uri) throws IOException, InterruptedException {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                    .header("Authorization", AnalystByDefault.authorization()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                    "content type " + response.headers().firstValue("Content-Type"));
            return new EventStream(response.body());
        }

        Event next(Duration timeout) throws InterruptedException {
            Object item = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new AssertionError("no event on the stream within " + timeout.toMillis() + " ms");
            }
            if (item instanceof Throwable failure) {
                throw new AssertionError("the stream failed", failure);
            }
            return (Event) item;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = null;
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(name, id, JsonPath.from(data.toString())));
                        }
                        name = null;
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).trim());
                    }
                }
            } catch (IOException e) {
                events.add(e);
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
