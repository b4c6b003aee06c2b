package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One case per way a request is refused before any rule of the record is checked: duplicate keys, every coercion,
 * every wrong date form, padded codes, trailing content, "." and ".." ids, a body without Content-Type, and the
 * HTTP layer's limits. Each answer is a problem document naming the field and the rule; the refused site has
 * nothing stored. Also: links never follow the Host header, and /v1 answers are neither cached nor sniffed.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class StrictInputIT {

    @TestHTTPResource("/")
    URI root;

    static final String SITE = "STRICT";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FOLLOW_UP = "{\"recordId\":\"FU-S\",\"patientPseudonym\":\"PSN-STRICT\",\"date\":\"2022-08-01\",\"vitalStatus\":\"alive\"";
    private static final String PATIENT = """
            {"recordId":"PT-S","patientPseudonym":"PSN-STRICT","sex":"female","birthYearMonth":"2016-02",
             "ageAtInitialDiagnosisDays":1180,"initialDiagnosisDate":"2019-05-10","frontline":{"antiGd2":true}}""";

    @Test
    void aClientAskingForHttp2OverCleartextIsAnsweredAsAnyOther() throws Exception {
        // Java's HttpClient offers an h2c upgrade on every plain-HTTP request: the answer then comes over HTTP/2.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest valid = HttpRequest.newBuilder(root.resolve("/v1/follow-ups")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.site(SITE)).GET().build();
        HttpResponse<String> answer = client.send(valid, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""));
        HttpRequest refused = HttpRequest.newBuilder(root.resolve("/v1/follow-ups")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TestTokens.site(SITE)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FOLLOW_UP + ",\"vitalStatus\":\"dead\"}")).build();
        HttpResponse<String> problem = client.send(refused, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, problem.statusCode(), problem.body());
        assertEquals("duplicate-key", JSON.readTree(problem.body()).path("errors").path(0).path("rule").asText());
    }

    @Test
    void aKeyGivenTwiceIsNamedNever500() {
        JsonNode problem = refused("follow-ups", FOLLOW_UP + ",\"causeOfDeath\":null,\"vitalStatus\":\"dead\"}", 400);
        assertError(problem, "vitalStatus", "duplicate-key");
        assertError(refused("patients", PATIENT.replace("\"antiGd2\":true", "\"antiGd2\":true,\"antiGd2\":false"), 400),
                "frontline.antiGd2", "duplicate-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"recordId=12345", "recordId=true", "ageAtInitialDiagnosisDays=1180.0", "ageAtInitialDiagnosisDays=1.5",
            "ageAtInitialDiagnosisDays=\"1180\"", "frontline.antiGd2=\"true\"", "frontline.antiGd2=1", "frontline.antiGd2=0",
            "sex=[\"female\"]", "birthYearMonth=201602"})
    void noValueIsCoercedIntoAnotherType(String change) throws Exception {
        String field = change.substring(0, change.indexOf('='));
        ObjectNode record = (ObjectNode) JSON.readTree(PATIENT);
        ObjectNode parent = field.contains(".") ? (ObjectNode) record.get(field.substring(0, field.indexOf('.'))) : record;
        parent.set(field.substring(field.indexOf('.') + 1), JSON.readTree(change.substring(change.indexOf('=') + 1)));
        assertError(refused("patients", JSON.writeValueAsString(record), 400), field, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0000-01-01\"", "\"-2021-03-01\"", "\"+002021-03-01\"", "\"2021-03-01T00:00:00Z\"", "[2021,3,1]", "18687",
            "\"2021-02-29\"", "\"2021-3-1\"", "\"1899-12-31\"", "\"01/03/2021\"", "\"\"", "{}"})
    void aDateIsACalendarDayWrittenYyyyMmDdFrom1900(String date) {
        String body = FOLLOW_UP.replace("\"date\":\"2022-08-01\"", "\"date\":" + date) + "}";
        JsonNode problem = refused("follow-ups", body, 400);
        // Year 0000 is a well-formed ISO day, only outside the clinical range.
        assertError(problem, "date", date.startsWith("\"0000") || date.startsWith("\"1899") ? "date-range" : "date-format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\" alive\"", "\"alive \"", "\"ALIVE\"", "\"Alive\"", "0", "\"\""})
    void aCodeIsExactlyOneOfItsList(String code) {
        String body = FOLLOW_UP.replace("\"vitalStatus\":\"alive\"", "\"vitalStatus\":" + code) + "}";
        assertError(refused("follow-ups", body, 400), "vitalStatus", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"recordId\":\"FU-S2\"}", "]", "garbage", "1", "\"x\""})
    void nothingMayFollowTheDocument(String trailing) {
        refused("follow-ups", FOLLOW_UP + "}" + trailing, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void dotAndDotDotAreNoRecordIds(String id) {
        assertError(refused("follow-ups", FOLLOW_UP.replace("\"FU-S\"", "\"" + id + "\"") + "}", 422), "recordId", "pattern");
    }

    @Test
    void aBodyWithoutContentTypeAnswers415() throws Exception {
        byte[] body = (FOLLOW_UP + "}").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "POST /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.site(SITE) + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
        assertRawProblem(answer, 415);
        assertNothingStored();
    }

    @Test
    void aBatchOfMoreThan500RecordsIsRefusedAtThe501st() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            entries.add("{\"recordType\":\"follow-up\",\"record\":" + FOLLOW_UP.replace("FU-S", "FU-" + i) + "}}");
        }
        assertError(refused("batches", "{\"records\":[" + String.join(",", entries) + "]}", 400), "records", "size");
    }

    @Test
    void aDeclaredBodyOverTheLimitAnswers413() throws Exception {
        assertRawProblem(RawHttp.send(RestAssured.port, "POST /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (4 * 1024 * 1024 + 1) + "\r\n\r\n", null), 413);
    }

    @Test
    void aLongRequestLineAnswers414AndLargeHeaders431() throws Exception {
        assertRawProblem(RawHttp.send(RestAssured.port, "GET /v1/follow-ups?x=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", null), 414);
        assertRawProblem(RawHttp.send(RestAssured.port, "GET /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(20000)
                + "\r\n\r\n", null), 431);
    }

    @Test
    void aRequestWithoutHostAnswers400() throws Exception {
        assertRawProblem(RawHttp.send(RestAssured.port, "GET /v1/follow-ups HTTP/1.1\r\n\r\n", null), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2"})
    void anotherHttpVersionAnswers505AndClosesTheConnection(String version) throws Exception {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "GET /v1/follow-ups " + version + "\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + TestTokens.site(SITE) + "\r\n\r\n", null);
        assertRawProblem(answer, 505);
        assertEquals("close", answer.headers().get("connection"));
    }

    @Test
    void aBodyThatNeverArrivesAnswers408AndClosesTheConnection() throws Exception {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "POST /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + TestTokens.site(SITE) + "\r\nContent-Length: 100\r\n\r\n", "{\"recordId\"".getBytes(StandardCharsets.UTF_8));
        assertRawProblem(answer, 408);
        assertEquals("close", answer.headers().get("connection"));
    }

    @Test
    void aMalformedChunkedBodyIsRefusedOrClosedNeverAnsweredWith5xx() throws Exception {
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, "POST /v1/follow-ups HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + TestTokens.site(SITE) + "\r\nTransfer-Encoding: chunked\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        if (!answer.closedWithoutAnswer()) {
            assertTrue(answer.status() >= 400 && answer.status() < 500, "status " + answer.status());
            Problems.assertProblem(answer.status(), answer.headers().get("content-type"), answer.body(), "malformed chunks");
        }
        assertNothingStored();
    }

    @Test
    void theLocationNeverFollowsTheHostHeader() {
        // Another site, so that the record it stores does not count against the "nothing stored" checks.
        Response accepted = given(SITE + "-LOC").header("Host", "evil.example:666").contentType(ContentType.JSON)
                .body(FOLLOW_UP.replace("FU-S", "FU-HOST") + "}").post("/v1/follow-ups");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String location = accepted.header("Location");
        assertEquals("/v1/submissions/" + accepted.jsonPath().getString("id"), location);
        assertFalse(location.contains("evil"));
        given(SITE + "-LOC").get("/v1/follow-ups/FU-HOST").then().statusCode(200);
    }

    @Test
    void everyV1AnswerIsNeitherCachedNorSniffed() {
        for (Response answer : List.of(given().get("/v1/follow-ups"), given().get("/v1/follow-ups/NO-SUCH"), RestAssured.given().get("/v1/follow-ups"))) {
            assertEquals("nosniff", answer.header("X-Content-Type-Options"), answer.asString());
            assertEquals("no-store", answer.header("Cache-Control"), answer.asString());
        }
    }

    @Test
    void frameworkErrorsAreProblemDocuments() {
        Response notAllowed = given().patch("/v1/follow-ups");
        Problems.assertProblem(405, notAllowed.contentType(), notAllowed.asString(), "405");
        Response notAcceptable = given().accept("text/csv").get("/v1/follow-ups");
        Problems.assertProblem(406, notAcceptable.contentType(), notAcceptable.asString(), "406");
        Response wrongType = given().contentType("text/plain").body("hello").post("/v1/follow-ups");
        Problems.assertProblem(415, wrongType.contentType(), wrongType.asString(), "415");
    }

    private static JsonNode refused(String collection, String body, int status) {
        Response answer = given().contentType(ContentType.JSON).body(body).post("/v1/" + collection);
        assertEquals(status, answer.statusCode(), body + " → " + answer.asString());
        JsonNode problem = Problems.assertProblem(status, answer.contentType(), answer.asString(), body);
        assertNothingStored();
        return problem;
    }

    /** The field is named, and the rule when given. */
    private static void assertError(JsonNode problem, String field, String rule) {
        boolean named = false;
        for (JsonNode error : problem.path("errors")) {
            named |= field.equals(error.path("field").asText()) && (rule == null || rule.equals(error.path("rule").asText()));
        }
        assertTrue(named, "expected " + field + (rule == null ? "" : "/" + rule) + " in " + problem);
    }

    private static void assertRawProblem(RawHttp.Answer answer, int status) {
        assertEquals(status, answer.status(), answer.toString());
        Problems.assertProblem(status, answer.headers().get("content-type"), answer.body(), "HTTP " + status);
    }

    static void assertNothingStored() {
        for (String collection : List.of("patients", "episodes", "response-assessments", "follow-ups", "second-malignancies", "treatments")) {
            given().get("/v1/" + collection).then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
        }
        given().get("/v1/audit").then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    static RequestSpecification given() {
        return given(SITE);
    }

    static RequestSpecification given(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
