package org.nbregistry.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nbregistry.local.bench.BenchCohort.Batch;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** What the bench asks intake, as a site system would: batches, single records, and the status of submissions. */
final class IntakeClient {

    /**
     * intake's answer to one request that created a submission.
     *
     * @param invalid       records intake refused at once, with its reasons
     * @param answeredNanos when the answer arrived ({@link System#nanoTime()})
     */
    record Posted(String site, String submissionId, int records, int accepted, int unchanged, List<String> invalid,
                  long latencyNanos, long answeredNanos) {
    }

    /** Generous: a loaded intake can take tens of seconds for a large batch, and that is a measurement, not a failure. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(300);

    private final URI base;
    private final Function<String, String> tokenOfSite;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    IntakeClient(URI base, Function<String, String> tokenOfSite, HttpClient http) {
        this.base = base;
        this.tokenOfSite = tokenOfSite;
        this.http = http;
    }

    Posted post(Batch batch) throws IOException, InterruptedException {
        List<Map<String, Object>> entries = batch.records().stream()
                .map(r -> Map.<String, Object>of("recordType", r.recordType(), "record", r.body()))
                .toList();
        HttpRequest request = request(batch.site(), "/v1/batches")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", batch.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("records", entries))))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new IllegalStateException("intake answered " + response.statusCode() + " to batch " + batch.idempotencyKey()
                    + ": " + response.body());
        }
        JsonNode answer = json.readTree(response.body());
        int accepted = 0;
        int unchanged = 0;
        List<String> invalid = new ArrayList<>();
        for (JsonNode record : answer.path("records")) {
            switch (record.path("outcome").asText()) {
                case "ACCEPTED" -> accepted++;
                case "UNCHANGED" -> unchanged++;
                default -> invalid.add(record.path("recordId").asText() + ": " + record.path("errors"));
            }
        }
        return new Posted(batch.site(), answer.path("submissionId").asText(null), batch.size(), accepted, unchanged,
                invalid, answered - sent, answered);
    }

    /** PUT of one record by its id, e.g. {@code /v1/follow-ups/{id}}; intake answers 202 with the new submission. */
    Posted put(String site, String collection, DemoRecord record) throws IOException, InterruptedException {
        HttpRequest request = request(site, "/v1/" + collection + "/" + record.recordId())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(record.body())))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        if (response.statusCode() != 202) {
            throw new IllegalStateException("intake answered " + response.statusCode() + " to PUT " + record.recordId()
                    + ": " + response.body());
        }
        return new Posted(site, json.readTree(response.body()).path("id").asText(), 1, 1, 0, List.of(), answered - sent, answered);
    }

    /** The submission as its site sees it: each record's status and, when rejected, the reasons. */
    JsonNode submission(String site, String id) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(site, "/v1/submissions/" + id).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("intake answered " + response.statusCode() + " for submission " + id + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpRequest.Builder request(String site, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + tokens.computeIfAbsent(site, tokenOfSite));
    }
}
