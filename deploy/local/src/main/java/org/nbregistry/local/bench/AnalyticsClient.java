package org.nbregistry.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** What the bench asks analytics-service, as an analyst would. */
final class AnalyticsClient {

    /** GET /v1/statistics/status: the dataset version applied and the one the served statistics reflect. */
    record Status(long datasetVersion, long refreshedVersion) {

        boolean refreshed() {
            return refreshedVersion == datasetVersion;
        }
    }

    /** GET /v1/survival/os, ungrouped: the dataset version it reflects, episodes and deaths. */
    record Os(long datasetVersion, int n, int events) {
    }

    /** One Server-Sent Event, stamped when it arrived. */
    record StreamEvent(String name, long datasetVersion, long arrivedNanos) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    AnalyticsClient(URI base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    Status status() throws IOException, InterruptedException {
        JsonNode status = get("/v1/statistics/status");
        return new Status(status.path("datasetVersion").asLong(), status.path("refreshedVersion").asLong());
    }

    Os os() throws IOException, InterruptedException {
        JsonNode os = get("/v1/survival/os");
        return new Os(os.path("datasetVersion").asLong(), os.path("n").asInt(), os.path("events").asInt());
    }

    /**
     * Opens GET /v1/statistics/stream and hands each event to {@code onEvent} from a reader thread as soon as its
     * last line arrived; closing the returned handle ends the stream.
     */
    AutoCloseable stream(Consumer<StreamEvent> onEvent) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/statistics/stream"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IllegalStateException("analytics answered " + response.statusCode() + " to the statistics stream");
        }
        Thread reader = new Thread(() -> {
            String[] name = {"message"};
            StringBuilder data = new StringBuilder();
            try {
                response.body().forEach(line -> {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            onEvent.accept(new StreamEvent(name[0], version(data.toString()), System.nanoTime()));
                        }
                        name[0] = "message";
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name[0] = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring("data:".length()).trim());
                    }
                });
            } catch (RuntimeException e) {
                // the stream was closed, or the server ended it: no more events
            }
        }, "bench-sse");
        reader.setDaemon(true);
        reader.start();
        return () -> response.body().close();
    }

    private long version(String data) {
        try {
            return json.readTree(data).path("datasetVersion").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("analytics answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
