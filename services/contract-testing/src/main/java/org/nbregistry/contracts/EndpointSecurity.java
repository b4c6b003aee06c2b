package org.nbregistry.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Access control proven on every operation a service serves in its OpenAPI document, so that an endpoint added later
 * is covered without being named: each is called without a token, with broken tokens and with tokens of roles that
 * may not use it, and must answer 401 (with the Bearer challenge) or 403, always as a problem document.
 */
public final class EndpointSecurity {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** HTTP/1.1: the JDK client retries a GET on a keep-alive connection the server closed while idle; over h2c it fails. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .build();

    /** One served operation: method and a concrete path (templates filled in, required query parameters given). */
    public record Operation(String method, String path) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private EndpointSecurity() {
    }

    /**
     * Every operation of the served document at {@code root}/q/openapi.
     *
     * @param requiredValues a value for each required query parameter by name, so that an allowed caller's request is valid
     */
    public static List<Operation> served(URI root, Map<String, String> requiredValues) {
        JsonNode paths = json(call(root, "GET", "/q/openapi?format=json", null).body()).path("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            String concrete = path.replaceAll("\\{[^}]+}", "SEC-any");
            paths.path(path).fields().forEachRemaining(method -> {
                StringBuilder query = new StringBuilder();
                for (JsonNode parameter : method.getValue().path("parameters")) {
                    if (parameter.path("in").asText().equals("query") && parameter.path("required").asBoolean()) {
                        String name = parameter.path("name").asText();
                        query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                                .append(requiredValues.getOrDefault(name, "x"));
                    }
                }
                operations.add(new Operation(method.getKey(), concrete + query));
            });
        }
        return operations;
    }

    /** The callers no endpoint may let in, by what is wrong with them: no token, or one the service must not trust. */
    public static Map<String, String> untrustedCallers() {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("no token", null);
        callers.put("not a JWT", "not-a-token");
        callers.put("wrong signature", TestTokens.signedByAnotherKey("SEC-A"));
        callers.put("expired", TestTokens.expired("SEC-A"));
        callers.put("other issuer", TestTokens.fromAnotherIssuer("SEC-A"));
        return callers;
    }

    /** What answered other than a 401 problem document with the Bearer challenge, one line each; empty when all did. */
    public static List<String> notRefusedAsUnauthenticated(URI root, List<Operation> operations) {
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations) {
            untrustedCallers().forEach((who, token) -> {
                HttpResponse<String> response = call(root, operation.method(), operation.path(), token);
                if (!isProblem(response, 401) || !response.headers().firstValue("WWW-Authenticate").orElse("").equals("Bearer")) {
                    wrong.add(operation + " with " + who + ": " + response.statusCode() + " " + response.body());
                }
            });
        }
        return wrong;
    }

    /** What answered other than a 403 problem document to a valid token of a role that may not call it. */
    public static List<String> notRefusedAsForbidden(URI root, List<Operation> operations, Map<String, String> tokensByRole) {
        List<String> wrong = new ArrayList<>();
        for (Operation operation : operations) {
            tokensByRole.forEach((who, token) -> {
                HttpResponse<String> response = call(root, operation.method(), operation.path(), token);
                if (!isProblem(response, 403)) {
                    wrong.add(operation + " as " + who + ": " + response.statusCode() + " " + response.body());
                }
            });
        }
        return wrong;
    }

    /**
     * What breaks "only this role": every served operation refuses untrusted callers (401) and the given other roles
     * (403), and lets the allowed role in (neither 401 nor 403). Empty when all holds; also when nothing is served,
     * which is reported as a break.
     */
    public static List<String> onlyRoleMayCall(URI root, String allowedToken, Map<String, String> otherRoles,
                                               Map<String, String> requiredValues) {
        List<Operation> operations = served(root, requiredValues);
        if (operations.isEmpty()) {
            return List.of("no operation is served at " + root);
        }
        List<String> wrong = new ArrayList<>(notRefusedAsUnauthenticated(root, operations));
        wrong.addAll(notRefusedAsForbidden(root, operations, otherRoles));
        for (Operation operation : operations) {
            int status = call(root, operation.method(), operation.path(), allowedToken).statusCode();
            if (status == 401 || status == 403) {
                wrong.add(operation + " refused the allowed role: " + status);
            }
        }
        return wrong;
    }

    /** The answer to one call; a body is sent (an empty JSON object) for PUT and POST. */
    public static HttpResponse<String> call(URI root, String method, String pathAndQuery, String bearerToken) {
        boolean body = method.equalsIgnoreCase("put") || method.equalsIgnoreCase("post");
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(pathAndQuery)).timeout(TIMEOUT)
                .method(method.toUpperCase(), body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) {
            request.header("Content-Type", "application/json");
        }
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isProblem(HttpResponse<String> response, int status) {
        return response.statusCode() == status
                && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                && json(response.body()).path("status").asInt() == status;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
