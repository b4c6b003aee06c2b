package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated hostile requests against the running service: valid records of every type broken by random mutations
 * (wrong types, padded codes, odd dates, duplicate keys, trailing content, truncation, unknown fields, huge or
 * control-character strings, "." ids), random path and query parameters and random headers. Whatever comes, the
 * answer is a 4xx problem document within the client's deadline, and the fuzzed site has nothing stored.
 * The seed is printed and can be set with -Dfuzz.seed=... to replay a failure; -Dfuzz.tries sets the number of requests.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class HostileInputFuzzIT {

    private static final String SITE = "FUZZ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int TRIES = Integer.getInteger("fuzz.tries", 300);
    private static final RestAssuredConfig DEADLINE = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", RawHttp.DEADLINE_MS).setParam("http.socket.timeout", RawHttp.DEADLINE_MS));
    private static final List<String> COLLECTIONS = List.of("patients", "episodes", "response-assessments", "follow-ups",
            "second-malignancies", "treatments");
    private static final Map<String, String> RECORD_TYPES = Map.of("patients", "patient", "episodes", "episode",
            "response-assessments", "response-assessment", "follow-ups", "follow-up", "second-malignancies", "second-malignancy",
            "treatments", "treatment");

    private final Random random = new Random(SEED);

    @Test
    void generatedHostileRecordsAreRefusedWithProblemDocumentsAndStoreNothing() throws Exception {
        System.out.println("HostileInputFuzzIT seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        for (int i = 0; i < TRIES; i++) {
            String collection = pick(COLLECTIONS);
            ObjectNode record = (ObjectNode) JSON.readTree(FieldRulesIT.VALID.get(collection));
            int noise = random.nextInt(3);
            for (int n = 0; n < noise; n++) {
                mutateSomeValue(record);
            }
            String body = poison(collection, record);
            boolean batch = random.nextInt(5) == 0;
            if (batch) {
                body = "{\"records\":[{\"recordType\":\"" + RECORD_TYPES.get(collection) + "\",\"record\":" + body + "}]}";
            }
            String path = batch ? "/v1/batches" : "/v1/" + collection;
            RequestSpecification request = given().body(body.getBytes(StandardCharsets.UTF_8));
            request = random.nextInt(10) == 0 ? request : request.contentType(pick(List.of("application/json", "application/json; charset=utf-8")));
            Response answer = random.nextBoolean() ? request.post(path) : request.urlEncodingEnabled(false).put(path + "/" + pick(List.of("X-1", ".", "..", "%2e", "a".repeat(65), "%00")));
            assertRefused(answer, "seed " + SEED + " try " + i + ": " + path + " " + body);
        }
        assertNothingStored();
    }

    @Test
    void generatedParametersAndHeadersAreRefusedOrAnsweredNeverWith5xx() {
        for (int i = 0; i < TRIES / 3; i++) {
            String value = hostileText();
            RequestSpecification request = given().urlEncodingEnabled(true);
            Response answer = switch (random.nextInt(4)) {
                case 0 -> request.queryParam(pick(List.of("recordType", "recordId", "limit")), value).get("/v1/audit");
                case 1 -> request.get("/v1/{collection}/{id}", pick(COLLECTIONS), value);
                case 2 -> request.header("Idempotency-Key", value.replaceAll("[\\r\\n]", "")).contentType("application/json")
                        .body("{\"records\":[]}").post("/v1/batches");
                default -> request.header("Accept", value.replaceAll("[\\r\\n]", "")).get("/v1/submissions/{id}", value);
            };
            int status = answer.statusCode();
            assertTrue(status < 500, "seed " + SEED + " try " + i + " (" + value + "): " + status + " " + answer.asString());
            if (status >= 400) {
                Problems.assertProblem(status, answer.contentType(), answer.asString(), "seed " + SEED + " try " + i + " (" + value + ")");
            }
        }
        assertNothingStored();
    }

    private void assertRefused(Response answer, String what) {
        int status = answer.statusCode();
        assertTrue(status >= 400 && status < 500 || status == 200 && answer.asString().contains("INVALID"), what + " → " + status + " " + answer.asString());
        if (status >= 400) {
            Problems.assertProblem(status, answer.contentType(), answer.asString(), what);
        }
    }

    /** Replaces the value of a random field, at any depth, by a random hostile value. */
    private void mutateSomeValue(ObjectNode record) {
        ObjectNode target = record;
        while (true) {
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty()) {
                return;
            }
            String name = pick(names);
            JsonNode value = target.get(name);
            if (value.isObject() && random.nextBoolean()) {
                target = (ObjectNode) value;
            } else if (value.isArray() && value.size() > 0 && value.get(0).isObject() && random.nextBoolean()) {
                target = (ObjectNode) value.get(random.nextInt(value.size()));
            } else {
                target.set(name, hostileValue());
                return;
            }
        }
    }

    /** One change that makes any record invalid, applied last so no other change can repair it. */
    private String poison(String collection, ObjectNode record) throws Exception {
        String json = JSON.writeValueAsString(record);
        String firstField = record.fieldNames().next();
        return switch (random.nextInt(9)) {
            case 0 -> json.substring(0, json.length() - 1) + ",\"" + firstField + "\":" + JSON.writeValueAsString(record.get(firstField)) + "}";
            case 1 -> json + pick(List.of("]", "}", " garbage", "{}", json, ",", "\u0000"));
            case 2 -> json.substring(0, 1 + random.nextInt(json.length() - 1));
            case 3 -> JSON.writeValueAsString(record.put("recordId", pick(List.of(".", "..", " X-1", "X 1", "", "a".repeat(65), "X/1"))));
            case 4 -> JSON.writeValueAsString(record.set("recordId", JSON.readTree(pick(List.of("12345", "1.5", "true", "[\"X\"]", "{}", "null")))));
            case 5 -> JSON.writeValueAsString(record.put(pick(List.of("name", "dateOfBirth", "overallResponse", "site", "__proto__")), "x"));
            case 6 -> JSON.writeValueAsString(record.set("patientPseudonym", JSON.readTree(pick(List.of("\"..\"", "\"P\"", "7", "false", "\"PSN RULES\"")))));
            case 7 -> {
                String date = pick(List.of("\"0000-01-01\"", "\"-2021-03-01\"", "\"+002021-03-01\"", "\"2021-03-01T00:00:00Z\"", "[2021,3,1]",
                        "18687", "\"2021-02-30\"", "\"1800-01-01\"", "\"2021-3-1\""));
                // The template's date field, by name: an earlier mutation may have put a date-like text into any other field.
                yield JSON.writeValueAsString(record.set(firstDateField(collection), JSON.readTree(date)));
            }
            default -> "[" + json + "]";
        };
    }

    private static String firstDateField(String collection) throws Exception {
        JsonNode template = JSON.readTree(FieldRulesIT.VALID.get(collection));
        List<String> names = new ArrayList<>();
        template.fieldNames().forEachRemaining(names::add);
        return names.stream().filter(name -> template.get(name).asText().matches("\\d{4}-\\d{2}-\\d{2}")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no date field in the valid " + collection + " record"));
    }

    private JsonNode hostileValue() {
        try {
            return JSON.readTree(pick(List.of("12345", "-1", "1.5", "1e400", "99999999999999999999999", "true", "false", "null", "\"\"", "\" \"",
                    "\" relapse \"", "\"ALIVE\"", "\"2021-03-01T00:00:00Z\"", "\"0000-01-01\"", "[]", "{}", "[1,2]", "{\"a\":{\"b\":[]}}",
                    "\"" + "x".repeat(random.nextInt(5000)) + "\"", "\"\\u0000\\u202e\"", "\"<script>\"", "\"1\"", "\"true\"")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String hostileText() {
        return pick(List.of(".", "..", "%2e%2e", "..%2f..", "a".repeat(1 + random.nextInt(3000)), "' OR 1=1 --", "[$gt]=", "-1",
                "99999999999", "1.5", "\u202e", "%00", "x\r\nSet-Cookie: a=b", "", " ", "Ω≈ç√", "<script>"));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static void assertNothingStored() {
        for (String collection : COLLECTIONS) {
            given().get("/v1/" + collection).then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        }
        given().get("/v1/audit").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    private static RequestSpecification given() {
        return RestAssured.given().config(DEADLINE).auth().oauth2(TestTokens.site(SITE));
    }
}
