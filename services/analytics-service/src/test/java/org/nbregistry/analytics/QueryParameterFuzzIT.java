package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated query parameters and Accept headers against every statistics operation the service documents (read from
 * its served OpenAPI document, so a new endpoint or parameter is fuzzed without being named here): documented values,
 * values just outside the documented ones and hostile ones (empty, huge, control characters, injections, impossible
 * dates, numbers beyond any range, repeated and unknown parameters). Whatever comes, the answer arrives within the
 * deadline and is a 200 or a 4xx problem document, never a 5xx, and nothing changes the dataset.
 * The seed is printed and can be set with -Dfuzz.seed=... to replay a failure; -Dfuzz.tries sets the number of requests.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class QueryParameterFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int TRIES = Integer.getInteger("fuzz.tries", 400);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final List<String> HOSTILE = List.of("", " ", "null", "undefined", "NaN", "Infinity", "-Infinity", "-1", "0",
            "1e309", "-1e309", "99999999999999999999", "0x10", "1,5", "true", "[]", "{}", "{\"$gt\":\"\"}", "' OR '1'='1",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000", "\r\nX-Injected: 1", "\u202e", "ü∂ø漢字",
            "2023-02-30", "0000-01-01", "+002021-03-01", "2021-3-1", "2021-03-01T00:00:00Z", "9999-12-31", "1899-12-31",
            "a".repeat(5000), ",", ",,", "site,site", "efs,os");
    private static final List<String> ACCEPT = List.of("application/json", "text/csv", "image/svg+xml", "*/*",
            "application/xml", "text/html", "garbage", "application/json;q=0", "");

    private final Random random = new Random(SEED);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI root;

    /** A documented query operation and its parameters as the served document declares them. */
    private record Operation(String path, List<JsonNode> parameters) {
    }

    @Test
    void generatedParametersAreAnsweredOrRefusedWithProblemDocumentsAndChangeNothing() throws Exception {
        System.out.println("QueryParameterFuzzIT seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        List<Operation> operations = operations();
        assertTrue(operations.size() >= 6, "the statistics operations: " + operations);
        long versionBefore = datasetVersion();
        List<String> wrong = new ArrayList<>();
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < TRIES; i++) {
            Operation operation = operations.get(random.nextInt(operations.size()));
            String query = query(operation);
            String accept = ACCEPT.get(random.nextInt(ACCEPT.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(operation.path() + query)).timeout(DEADLINE)
                    .header("Authorization", "Bearer " + TestTokens.analyst()).GET();
            if (!accept.isEmpty()) {
                request.header("Accept", accept);
            }
            String what = "GET " + operation.path() + query + " Accept: " + accept;
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                wrong.add(what + ": no answer within " + DEADLINE.toSeconds() + " s");
                continue;
            }
            if (response.statusCode() == 200) {
                answered++;
            } else if (isProblem(response)) {
                refused++;
            } else {
                wrong.add(what + ": " + response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("")
                        + " " + abbreviate(response.body()));
            }
        }
        System.out.printf("QueryParameterFuzzIT: %d requests over %d operations, %d answered, %d refused with problem documents, %d wrong%n",
                TRIES, operations.size(), answered, refused, wrong.size());
        assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " wrong answers (seed " + SEED + ")");
        assertTrue(answered > 0 && refused > 0, "both valid and invalid requests were generated");
        assertEquals(versionBefore, datasetVersion(), "no request changed the dataset");
    }

    /** A random mix of the operation's parameters: documented values, near misses, hostile values, repeats and unknowns. */
    private String query(Operation operation) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode parameter : operation.parameters()) {
            boolean required = parameter.path("required").asBoolean();
            if (!required && random.nextInt(3) == 0) {
                continue;
            }
            int copies = random.nextInt(12) == 0 ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                pairs.add(pair(parameter.path("name").asText(), value(parameter.path("schema"))));
            }
        }
        if (random.nextInt(10) == 0) {
            pairs.add(pair(pick(List.of("unknown", "$where", "__proto__", "endpoint[]", "")), pick(HOSTILE)));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private String value(JsonNode schema) {
        int kind = random.nextInt(10);
        if (kind < 4) {
            return documented(schema);
        }
        if (kind < 6) {
            return nearMiss(documented(schema));
        }
        return pick(HOSTILE);
    }

    /** A value the schema allows. */
    private String documented(JsonNode schema) {
        JsonNode items = schema.path("items");
        if (schema.path("type").asText().equals("array") && !items.isMissingNode()) {
            return documented(items) + (random.nextBoolean() ? "," + documented(items) : "");
        }
        if (schema.has("enum")) {
            JsonNode values = schema.path("enum");
            return values.get(random.nextInt(values.size())).asText();
        }
        return switch (schema.path("type").asText()) {
            case "integer" -> Long.toString(bounded(schema, 0, 100));
            case "number" -> Double.toString(bounded(schema, 0, 1) + random.nextDouble());
            case "boolean" -> Boolean.toString(random.nextBoolean());
            default -> schema.path("format").asText().equals("date")
                    ? LocalDate.of(2015, 1, 1).plusDays(random.nextInt(4000)).toString()
                    : pick(List.of("site", "mycn", "episodeType", "S01", "OS", "EFS", "os", "efs", "1,3,5"));
        };
    }

    private long bounded(JsonNode schema, long lowDefault, long highDefault) {
        long low = schema.has("minimum") ? schema.path("minimum").asLong() : lowDefault;
        long high = schema.has("maximum") ? schema.path("maximum").asLong() : highDefault;
        return low + (high > low ? (long) (random.nextDouble() * (high - low)) : 0);
    }

    /** A documented value changed just enough to be wrong, or right only if the service is lenient. */
    private String nearMiss(String value) {
        return switch (random.nextInt(6)) {
            case 0 -> " " + value;
            case 1 -> value.toUpperCase();
            case 2 -> value + "x";
            case 3 -> value.isEmpty() ? "-" : value.substring(0, value.length() - 1);
            case 4 -> "-" + value;
            default -> value + "," + value;
        };
    }

    private List<Operation> operations() throws Exception {
        HttpResponse<String> doc = client.send(HttpRequest.newBuilder(root.resolve("/q/openapi?format=json")).timeout(DEADLINE).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, doc.statusCode());
        JsonNode paths = JSON.readTree(doc.body()).path("paths");
        List<Operation> operations = new ArrayList<>();
        paths.fields().forEachRemaining(path -> {
            JsonNode get = path.getValue().path("get");
            boolean stream = get.path("responses").path("200").path("content").has("text/event-stream");
            if (!get.isMissingNode() && !stream && !path.getKey().contains("{")) {
                List<JsonNode> parameters = new ArrayList<>();
                get.path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query")) {
                        parameters.add(p);
                    }
                });
                operations.add(new Operation(path.getKey(), parameters));
            }
        });
        return operations;
    }

    private long datasetVersion() throws Exception {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(root.resolve("/v1/statistics/status")).timeout(DEADLINE)
                .header("Authorization", "Bearer " + TestTokens.analyst()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode(), status.body());
        return JSON.readTree(status.body()).path("datasetVersion").asLong();
    }

    private static boolean isProblem(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500
                || !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return false;
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            return problem.path("status").asInt() == status && !problem.path("title").asText().isBlank();
        } catch (Exception e) {
            return false;
        }
    }

    private static String pair(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
