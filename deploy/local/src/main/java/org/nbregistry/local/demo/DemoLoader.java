package org.nbregistry.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nbregistry.local.demo.DemoCohort.DemoRecord;
import org.nbregistry.local.demo.DemoCohort.DemoSite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends the demo cohort through the intake API exactly as site systems do: one batch per site (split at the batch
 * limit) with its site's token and an Idempotency-Key derived from the cohort's seed, so loading it again changes
 * nothing; then follows each submission until every record is APPLIED or REJECTED.
 *
 * <p>A split never parts a patient: intake publishes a submission's records in their order, keyed by the patient, so
 * each episode reaches episode-service before the treatment lines and response assessments that refer to it, which
 * are rejected if they arrive first.
 */
public final class DemoLoader {

    /** intake's largest batch. */
    static final int BATCH_LIMIT = 500;

    /** What loading did: records sent, accepted as new or changed, applied and rejected (with the reasons). */
    public record Outcome(int sent, int applied, int unchanged, List<String> rejected) {
    }

    private final URI intake;
    private final Function<String, String> bearerTokenOfSite;
    /** Each site's token, signed once for the whole load rather than for every request and every poll. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private static final int TIMEOUT_RETRIES = 3;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param intake            intake-service's base URI
     * @param bearerTokenOfSite a token with role {@code site} for the site code
     */
    public DemoLoader(URI intake, Function<String, String> bearerTokenOfSite) {
        this.intake = intake;
        this.bearerTokenOfSite = bearerTokenOfSite;
    }

    public Outcome load(List<DemoSite> cohort, long seed, Duration patience) throws IOException, InterruptedException {
        int sent = 0;
        int unchanged = 0;
        List<String> submissions = new ArrayList<>();
        for (DemoSite site : cohort) {
            int part = 0;
            for (List<DemoRecord> batch : batches(site.records(), BATCH_LIMIT)) {
                part++;
                HttpResponse<String> response = post(site.site(), batch, "demo-" + seed + "-" + site.site() + "-" + part);
                JsonNode answer = json.readTree(response.body());
                // A replay is intake's first answer to this very batch: its records are there already.
                boolean replayed = response.headers().firstValue("Idempotency-Replayed").map("true"::equals).orElse(false);
                sent += batch.size();
                for (JsonNode record : answer.path("records")) {
                    String outcome = record.path("outcome").asText();
                    if (outcome.equals("UNCHANGED") || replayed) {
                        unchanged++;
                    } else if (!outcome.equals("ACCEPTED")) {
                        throw new IllegalStateException("intake refused demo record " + record.path("recordId").asText() + ": " + record.path("errors"));
                    }
                }
                if (answer.hasNonNull("submissionId") && !replayed) {
                    submissions.add(site.site() + "/" + answer.get("submissionId").asText());
                }
            }
        }
        int applied = 0;
        List<String> rejected = new ArrayList<>();
        Instant deadline = Instant.now().plus(patience);
        for (String siteAndSubmission : submissions) {
            String site = siteAndSubmission.substring(0, siteAndSubmission.indexOf('/'));
            String id = siteAndSubmission.substring(site.length() + 1);
            JsonNode submission = settled(site, id, deadline);
            for (JsonNode record : submission.path("records")) {
                if (record.path("status").asText().equals("APPLIED")) {
                    applied++;
                } else {
                    rejected.add(record.path("recordId").asText() + ": " + record.path("reasons"));
                }
            }
        }
        return new Outcome(sent, applied, unchanged, rejected);
    }

    /**
     * A site's records in sending order, cut into batches of at most {@code limit} records between patients only (a
     * patient's records are consecutive, and far fewer than the limit).
     */
    static List<List<DemoRecord>> batches(List<DemoRecord> records, int limit) {
        List<List<DemoRecord>> batches = new ArrayList<>();
        List<DemoRecord> batch = new ArrayList<>();
        for (int from = 0; from < records.size(); ) {
            Object patient = records.get(from).body().get("patientPseudonym");
            int to = from;
            while (to < records.size() && patient.equals(records.get(to).body().get("patientPseudonym"))) {
                to++;
            }
            if (!batch.isEmpty() && batch.size() + (to - from) > limit) {
                batches.add(List.copyOf(batch));
                batch.clear();
            }
            batch.addAll(records.subList(from, to));
            from = to;
        }
        if (!batch.isEmpty()) {
            batches.add(List.copyOf(batch));
        }
        return batches;
    }

    private HttpResponse<String> post(String site, List<DemoRecord> batch, String idempotencyKey) throws IOException, InterruptedException {
        List<Map<String, Object>> entries = batch.stream()
                .map(r -> Map.<String, Object>of("recordType", r.recordType(), "record", r.body()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", entries);
        HttpRequest request = authorised(site, "/v1/batches")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        // 408: on a machine busy enough, the body did not reach intake within its limit (README "Limits"). The batch
        // carries an Idempotency-Key, so sending it again is safe and is answered as the first time.
        for (int retry = 0; response.statusCode() == 408 && retry < TIMEOUT_RETRIES; retry++) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new IllegalStateException("intake answered " + response.statusCode() + " to the demo batch of " + site + ": " + response.body());
        }
        return response;
    }

    /** The submission once no record is ACCEPTED any more (every one APPLIED or REJECTED). */
    private JsonNode settled(String site, String id, Instant deadline) throws IOException, InterruptedException {
        while (true) {
            HttpResponse<String> response = http.send(authorised(site, "/v1/submissions/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode submission = json.readTree(response.body());
            boolean pending = false;
            for (JsonNode record : submission.path("records")) {
                pending |= record.path("status").asText().equals("ACCEPTED");
            }
            if (response.statusCode() == 200 && !pending) {
                return submission;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("demo submission " + id + " of " + site + " still not applied: " + response.body());
            }
            Thread.sleep(250);
        }
    }

    private HttpRequest.Builder authorised(String site, String path) {
        return HttpRequest.newBuilder(intake.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + tokens.computeIfAbsent(site, bearerTokenOfSite));
    }
}
