package org.nbregistry.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document. `errors` names every field that broke a rule, so a site system can
 * point its user at the exact input to fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://nbregistry.org/problems/";

    public static Problem of(String typeSlug, String title, int status, String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + typeSlug, title, status, detail, null, errors == null || errors.isEmpty() ? null : errors);
    }

    /** The problem of a bare HTTP status (405, 413, 414, ...): type http-<status>, the status' reason phrase as title. */
    public static Problem ofStatus(int status, String detail) {
        jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return of("http-" + status, title, status, detail == null || detail.isBlank() ? title + "." : detail, null);
    }

    public Problem at(String instancePath) {
        return new Problem(type, title, status, detail, instancePath, errors);
    }

    /** One broken rule: the JSON path of the field, a stable rule name and a sentence for people. */
    public record FieldError(String field, String rule, String message) {
    }
}
