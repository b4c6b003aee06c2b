package org.nbregistry.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every refusal must be: an RFC 9457 problem document with type, title, status and detail. */
final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static JsonNode assertProblem(int status, String contentType, String body, String what) {
        assertTrue(contentType != null && contentType.startsWith("application/problem+json"), what + ": content type " + contentType + ", body " + body);
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": not JSON: " + body, e);
        }
        assertEquals(status, problem.path("status").asInt(), what + ": " + body);
        for (String member : new String[]{"type", "title", "detail"}) {
            assertTrue(problem.path(member).isTextual() && !problem.path(member).asText().isBlank(), what + ": no " + member + " in " + body);
        }
        return problem;
    }
}
