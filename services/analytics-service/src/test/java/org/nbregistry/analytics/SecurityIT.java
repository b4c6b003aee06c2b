package org.nbregistry.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.TestTokens;
import org.nbregistry.local.infra.RealInfrastructureResource;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics are for analysts: on every endpoint the service documents, no, invalid or expired token → 401, a
 * site's token → 403, both as problem documents, and an analyst's token → 200. Health, metrics and the OpenAPI
 * document need no token.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
@AnalystByDefault.OwnCredentials
class SecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** survival, survival/os, predictors, factors, competing-risks, cohort summary, statistics status and stream. */
    private static final int DOCUMENTED_OPERATIONS = 9;
    /** A value for each required query parameter, so that an analyst's request is a valid one. */
    private static final Map<String, String> REQUIRED_VALUES = Map.of("endpoint", "OS", "terms", "chemotherapy");

    /** Metrics are served on the management interface, never on the application port. */
    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metricsUrl;

    @TestHTTPResource("/")
    URI root;

    /** One documented operation, with a value for each of its required query parameters. */
    record Operation(String method, String path, String query) {

        Response call(RequestSpecification request) {
            return request.request(method.toUpperCase(), path + query);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + query;
        }
    }

    @Test
    void everyEndpointRefusesAMissingInvalidOrExpiredTokenWith401() {
        Map<String, Function<RequestSpecification, RequestSpecification>> callers = new LinkedHashMap<>();
        callers.put("no token", r -> r);
        callers.put("not a JWT", r -> r.auth().oauth2("not-a-token"));
        callers.put("wrong signature", r -> r.auth().oauth2(TestTokens.signedByAnotherKey("S01")));
        callers.put("expired", r -> r.auth().oauth2(TestTokens.expired("S01")));
        callers.put("other issuer", r -> r.auth().oauth2(TestTokens.fromAnotherIssuer("S01")));
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations()) {
            callers.forEach((who, token) -> {
                Response response = operation.call(token.apply(RestAssured.given()));
                if (!isProblem(response, 401) || !"Bearer".equals(response.header("WWW-Authenticate"))) {
                    wrong.add(operation + " with " + who + ": " + response.statusCode() + " " + response.asString());
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyEndpointRefusesASitesTokenWith403() {
        Map<String, String> tokens = Map.of("site S01", TestTokens.site("S01"), "site role without a site", TestTokens.siteRoleWithoutSite());
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations()) {
            tokens.forEach((who, token) -> {
                Response response = operation.call(RestAssured.given().auth().oauth2(token));
                if (!isProblem(response, 403)) {
                    wrong.add(operation + " as " + who + ": " + response.statusCode() + " " + response.asString());
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyEndpointAnswersAnAnalyst() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations()) {
            HttpRequest request = HttpRequest.newBuilder(root.resolve(operation.path() + operation.query()))
                    .header("Authorization", "Bearer " + TestTokens.analyst())
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.noBody()).build();
            // As a stream: the statistics stream never ends, the status line is what counts.
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    wrong.add(operation + ": " + response.statusCode() + " " + new String(body.readAllBytes()));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() {
        for (String open : List.of("/q/health/ready", "/q/health/live", "/q/openapi")) {
            RestAssured.given().get(open).then().statusCode(200);
            // Not even a broken token matters where nothing needs one.
            RestAssured.given().auth().oauth2("not-a-token").get(open).then().statusCode(200);
        }
    }

    @Test
    void metricsAreServedOnTheManagementInterfaceOnly() {
        RestAssured.given().get(metricsUrl).then().statusCode(200);
        // Where clients come in there is nothing to scrape.
        RestAssured.given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentDeclaresTheBearerSchemeOnEveryOperation() {
        JsonNode doc = openApi();
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearer");
        assertEquals(List.of("http", "bearer", "JWT"),
                List.of(scheme.path("type").asText(), scheme.path("scheme").asText(), scheme.path("bearerFormat").asText()));
        List<String> wrong = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode operation = op.getValue();
            boolean bearer = operation.path("security").path(0).has("bearer");
            boolean documented = operation.path("responses").has("401") && operation.path("responses").has("403");
            if (!bearer || !documented) {
                wrong.add(op.getKey() + " " + path.getKey());
            }
        }));
        assertEquals(List.of(), wrong);
    }

    /** Every operation of the served OpenAPI document under /v1, so a new endpoint is covered without naming it. */
    private static List<Operation> operations() {
        JsonNode paths = openApi().path("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            assertTrue(path.startsWith("/v1/"), path + " is outside /v1");
            assertTrue(!path.contains("{"), path + " has a path parameter this test does not fill in");
            paths.path(path).fields().forEachRemaining(op -> {
                List<String> required = new ArrayList<>();
                op.getValue().path("parameters").forEach(p -> {
                    if (p.path("required").asBoolean()) {
                        String name = p.path("name").asText();
                        assertTrue(REQUIRED_VALUES.containsKey(name), "no value for the required parameter " + name + " of " + path);
                        required.add(name + "=" + REQUIRED_VALUES.get(name));
                    }
                });
                operations.add(new Operation(op.getKey(), path, required.isEmpty() ? "" : "?" + String.join("&", required)));
            });
        }
        assertEquals(DOCUMENTED_OPERATIONS, operations.size(), operations.stream().map(Operation::toString).collect(Collectors.joining(", ")));
        return operations;
    }

    private static JsonNode openApi() {
        try {
            return JSON.readTree(RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isProblem(Response response, int status) {
        return response.statusCode() == status && response.contentType().startsWith("application/problem+json")
                && response.jsonPath().getInt("status") == status;
    }
}
