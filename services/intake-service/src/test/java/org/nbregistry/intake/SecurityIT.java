package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Site authentication on every endpoint the service documents: no, invalid or expired token → 401, a role other than
 * `site` → 403, all as problem documents; a site's records, submissions, audit trail and idempotency keys are
 * invisible to another site, whose requests answer exactly as for ids that do not exist and change nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class SecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLLECTIONS = List.of("patients", "episodes", "response-assessments", "follow-ups",
            "second-malignancies", "treatments");
    /** 6 record types × (POST, list, PUT, GET, DELETE) + batches + submission + audit + vocabulary + FHIR bundle. */
    private static final int DOCUMENTED_OPERATIONS = 35;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** One documented operation, with its path parameters filled in. */
    record Operation(String method, String path) {
        boolean vocabulary() {
            return path.startsWith("/v1/vocabulary/");
        }

        Response call(RequestSpecification request) {
            RequestSpecification withBody = method.equals("put") || method.equals("post")
                    ? request.contentType(path.startsWith("/fhir/") ? "application/fhir+json" : "application/json").body("{}") : request;
            return withBody.request(method.toUpperCase(), path);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    @Test
    void everyEndpointRefusesAMissingInvalidOrExpiredTokenWith401() {
        Map<String, Function<RequestSpecification, RequestSpecification>> callers = new LinkedHashMap<>();
        callers.put("no token", r -> r);
        callers.put("not a JWT", r -> r.auth().oauth2("not-a-token"));
        callers.put("wrong signature", r -> r.auth().oauth2(TestTokens.signedByAnotherKey("SEC-A")));
        callers.put("expired", r -> r.auth().oauth2(TestTokens.expired("SEC-A")));
        callers.put("other issuer", r -> r.auth().oauth2(TestTokens.fromAnotherIssuer("SEC-A")));
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations()) {
            callers.forEach((who, token) -> {
                Response response = operation.call(token.apply(RestAssured.given()));
                if (response.statusCode() != 401 || !isProblem(response, 401)
                        || !"Bearer".equals(response.header("WWW-Authenticate"))) {
                    wrong.add(operation + " with " + who + ": " + response.statusCode() + " " + response.asString());
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyRecordEndpointRefusesAnotherRoleWith403AndTheVocabularyIsOpenToAnyRole() {
        Map<String, String> tokens = Map.of("analyst", TestTokens.analyst(), "site role without a site", TestTokens.siteRoleWithoutSite());
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations()) {
            tokens.forEach((who, token) -> {
                Response response = operation.call(RestAssured.given().auth().oauth2(token));
                boolean expected = operation.vocabulary() ? response.statusCode() == 200 : isProblem(response, 403);
                if (!expected) {
                    wrong.add(operation + " as " + who + ": " + response.statusCode() + " " + response.asString());
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        RestAssured.given().get("/q/openapi").then().statusCode(200);
        // Not even a broken token matters where nothing needs one.
        RestAssured.given().auth().oauth2("not-a-token").get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDeclaresTheBearerScheme() {
        JsonPath doc = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals("JWT", doc.getString("components.securitySchemes.bearer.bearerFormat"));
    }

    @Test
    void anotherSitesRecordsAnswerAsIfTheyDidNotExistAndStayUntouched() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, String> submissionsOfA = new LinkedHashMap<>();
        for (String collection : COLLECTIONS) {
            String id = "SEC-" + run + "-" + collection;
            ids.put(collection, id);
            submissionsOfA.put(collection, as("SEC-A").contentType(ContentType.JSON).body(record(collection, id))
                    .put("/v1/{c}/{id}", collection, id).then().statusCode(202).extract().path("id"));
        }
        String batchKey = "sec-" + run;
        String batchOfA = as("SEC-A").contentType(ContentType.JSON).header("Idempotency-Key", batchKey)
                .body(batch("follow-up", record("follow-ups", "SEC-" + run + "-batch"))).post("/v1/batches")
                .then().statusCode(202).extract().path("submissionId");
        String unknown = "SEC-" + run + "-unknown";

        for (String collection : COLLECTIONS) {
            String id = ids.get(collection);
            assertSameAnswer(as("SEC-B").get("/v1/{c}/{id}", collection, id), as("SEC-B").get("/v1/{c}/{id}", collection, unknown));
            assertSameAnswer(as("SEC-B").delete("/v1/{c}/{id}", collection, id), as("SEC-B").delete("/v1/{c}/{id}", collection, unknown));
            List<String> listedForB = as("SEC-B").get("/v1/{c}", collection).then().statusCode(200).extract().path("recordId");
            assertFalse(listedForB.contains(id), collection + " of SEC-A listed for SEC-B");
        }
        for (String submission : List.of(submissionsOfA.get("episodes"), batchOfA)) {
            assertSameAnswer(as("SEC-B").get("/v1/submissions/{id}", submission),
                    as("SEC-B").get("/v1/submissions/{id}", UUID.randomUUID().toString()));
        }
        as("SEC-B").get("/v1/audit?recordId={id}", ids.get("episodes")).then().statusCode(200).body("size()", equalTo(0));

        // The same record ids from SEC-B are SEC-B's own records: created beside SEC-A's, never over them.
        Map<String, String> submissionsOfB = new LinkedHashMap<>();
        for (String collection : COLLECTIONS) {
            String id = ids.get(collection);
            submissionsOfB.put(collection, as("SEC-B").contentType(ContentType.JSON).body(record(collection, id))
                    .put("/v1/{c}/{id}", collection, id).then().statusCode(202).extract().path("id"));
            as("SEC-B").get("/v1/{c}/{id}", collection, id).then().statusCode(200)
                    .body("submissionId", equalTo(submissionsOfB.get(collection)))
                    .body("record.site", equalTo("SEC-B"));
        }
        // SEC-B's key is its own: the same key answers SEC-B's batch as new, not with SEC-A's answer.
        as("SEC-B").contentType(ContentType.JSON).header("Idempotency-Key", batchKey)
                .body(batch("follow-up", record("follow-ups", "SEC-" + run + "-batch"))).post("/v1/batches")
                .then().statusCode(202).header("Idempotency-Replayed", (String) null).body("site", equalTo("SEC-B"));

        for (String collection : COLLECTIONS) {
            as("SEC-A").get("/v1/{c}/{id}", collection, ids.get(collection)).then().statusCode(200)
                    .body("submissionId", equalTo(submissionsOfA.get(collection)))
                    .body("lastChange", equalTo("submitted"))
                    .body("withdrawn", equalTo(false))
                    .body("record.site", equalTo("SEC-A"));
        }
        as("SEC-A").get("/v1/audit?recordId={id}", ids.get("episodes")).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].site", equalTo("SEC-A"))
                .body("[0].actor", equalTo("data-manager@SEC-A"))
                .body("[0].submissionId", equalTo(submissionsOfA.get("episodes")));
        as("SEC-B").get("/v1/audit?recordId={id}", ids.get("episodes")).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].site", equalTo("SEC-B"))
                .body("[0].actor", equalTo("data-manager@SEC-B"));

        // What goes to the owning service names each record's own site.
        String episodeOfB = submissionsOfB.get("episodes");
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            List<ConsumerRecord<String, String>> published = kafka.read("intake.clinical-records",
                    r -> r.value().contains(ids.get("episodes")), found -> found.stream().anyMatch(r -> r.value().contains(episodeOfB)),
                    Duration.ofSeconds(30));
            Map<String, String> siteBySubmission = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : published) {
                JsonNode data = JSON.readTree(r.value()).path("data");
                siteBySubmission.put(data.path("submissionId").asText(), data.path("site").asText());
            }
            assertEquals(Map.of(submissionsOfA.get("episodes"), "SEC-A", episodeOfB, "SEC-B"), siteBySubmission);
        }
    }

    @Test
    void theSiteComesFromTheTokenNeverFromTheRecord() {
        String id = "SEC-" + UUID.randomUUID().toString().substring(0, 8) + "-EP";
        ObjectNode withSite = (ObjectNode) json(record("episodes", id));
        withSite.put("site", "SEC-A");
        as("SEC-A").contentType(ContentType.JSON).body(withSite.toString()).put("/v1/episodes/{id}", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("site")).body("errors[0].rule", equalTo("unknown-field"));
        as("SEC-A").contentType(ContentType.JSON).body(withSite.toString()).post("/v1/episodes")
                .then().statusCode(400).body("errors[0].field", equalTo("site"));
        as("SEC-A").contentType(ContentType.JSON).body(batch("episode", withSite.toString())).post("/v1/batches")
                .then().statusCode(200).body("records[0].outcome", equalTo("INVALID"))
                .body("records[0].errors[0].field", equalTo("records[0].record.site"));
        as("SEC-A").get("/v1/episodes/{id}", id).then().statusCode(404);
    }

    /** Every operation of the served OpenAPI document under /v1, so a new endpoint is covered without naming it. */
    private static List<Operation> operations() {
        JsonNode paths = json(RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString()).path("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            assertTrue(path.startsWith("/v1/") || path.equals("/fhir/Bundle"), path + " is outside /v1 and /fhir/Bundle");
            String concrete = path.replaceAll("\\{[^}]+}", "SEC-any");
            paths.path(path).fieldNames().forEachRemaining(method -> operations.add(new Operation(method, concrete)));
        }
        assertEquals(DOCUMENTED_OPERATIONS, operations.size(), operations.toString());
        return operations;
    }

    private static boolean isProblem(Response response, int status) {
        return response.statusCode() == status && response.contentType().startsWith("application/problem+json")
                && response.jsonPath().getInt("status") == status;
    }

    /** The answer for another site's id is the answer for an id that does not exist: same status, type and title. */
    private static void assertSameAnswer(Response otherSites, Response unknown) {
        otherSites.then().statusCode(404).contentType("application/problem+json")
                .body("type", startsWith("https://nbregistry.org/problems/"));
        assertEquals(List.of(unknown.statusCode(), unknown.jsonPath().getString("type"), unknown.jsonPath().getString("title")),
                List.of(otherSites.statusCode(), otherSites.jsonPath().getString("type"), otherSites.jsonPath().getString("title")));
    }

    /** A valid record of the collection (FieldRulesIT's), under the given record id. */
    private static String record(String collection, String recordId) {
        ObjectNode record = (ObjectNode) json(FieldRulesIT.VALID.get(collection));
        record.put("recordId", recordId);
        return record.toString();
    }

    private static String batch(String recordType, String record) {
        return "{\"records\":[{\"recordType\":\"" + recordType + "\",\"record\":" + record + "}]}";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification as(String site) {
        return RestAssured.given().auth().oauth2(TestTokens.site(site));
    }
}
