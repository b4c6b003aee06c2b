package org.nbregistry.support.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Links the registry hands out (Location of an accepted submission): the configured public base URL and the path,
 * or the path alone as a relative reference. The Host header is the client's to choose, so it never goes into a link.
 */
@ApplicationScoped
public class PublicLinks {

    private final String base;

    public PublicLinks(HttpLimits http) {
        this.base = http.publicBaseUrl().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url).orElse("");
    }

    /** The link to an absolute path of this service, e.g. /v1/submissions/42. */
    public String to(String path) {
        return base + path;
    }

    /**
     * Sets the Location header as a plain header: JAX-RS would resolve a relative location against the request's
     * own address, Host header included.
     */
    public Response.ResponseBuilder withLocation(Response.ResponseBuilder response, String path) {
        return response.header(HttpHeaders.LOCATION, to(path));
    }
}
