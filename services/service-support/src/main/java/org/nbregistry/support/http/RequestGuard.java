package org.nbregistry.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.nbregistry.support.problem.Problem;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks every request before any endpoint sees it and answers what breaks a limit with a problem document, where
 * the HTTP server alone would answer with an empty body, a bare error page or not at all: an HTTP version other than
 * 1.0, 1.1 and 2 (505; the server would serve it), no Host (400), request line too long (414), headers too large
 * (431), a declared body over the size limit (413), a body without Content-Type (415), a body that stalls or takes too
 * long in all (408, {@link BodyWatch}). Adds X-Content-Type-Options: nosniff and Cache-Control: no-store to every /v1
 * answer (patient data and statistics must be neither cached nor sniffed), and turns a failure of the HTTP layer
 * itself into a problem document that says nothing of the cause. What the HTTP/1.1 codec refuses before any route
 * runs (a request line or headers beyond its own limits, a header it cannot parse, a malformed chunk) never reaches
 * this guard: Quarkus exposes no hook for Vert.x's invalid-request handler, and a malformed chunk closes the
 * connection inside Vert.x.
 */
@ApplicationScoped
public class RequestGuard {

    private static final Logger LOG = Logger.getLogger(RequestGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
    private static final String API = "/v1";
    /** Quarkus' default of quarkus.http.limits.max-body-size. */
    private static final long DEFAULT_MAX_BODY = 10240 * 1024;

    private final HttpLimits limits;
    private final long maxBodyBytes;

    public RequestGuard(HttpLimits limits) {
        this.limits = limits;
        this.maxBodyBytes = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(DEFAULT_MAX_BODY);
    }

    void install(@Observes Router router) {
        // Before Quarkus' own body-size check (ROUTE_ORDER_UPLOAD_LIMIT), which answers 413 with an empty body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::guard).failureHandler(this::failed);
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (path != null && path.startsWith(API)) {
            ctx.addHeadersEndHandler(ignored -> ctx.response().headers()
                    .set("X-Content-Type-Options", "nosniff")
                    .set(HttpHeaders.CACHE_CONTROL, "no-store"));
        }
        if (request.version() == null) {
            // A well-formed request line of another version (HTTP/9.9, HTTP/2.0 as text) reaches the router versionless.
            reject(ctx, 505, "The HTTP version is not supported: use HTTP/1.1 or HTTP/2.");
        } else if (request.version() == HttpVersion.HTTP_1_1 && !request.headers().contains(HttpHeaders.HOST)) {
            // HTTP/2 (also after an h2c upgrade, as Java's HttpClient asks for) carries the host as :authority.
            reject(ctx, 400, "The request has no Host header (HTTP/1.1 requires one).");
        } else if (requestLineBytes(request) > limits.maxRequestLine()) {
            reject(ctx, 414, "The request line is longer than " + limits.maxRequestLine() + " bytes.");
        } else if (headerBytes(request) > limits.maxHeaderBytes()) {
            reject(ctx, 431, "The request headers are larger than " + limits.maxHeaderBytes() + " bytes.");
        } else if (declaredLength(request) > maxBodyBytes) {
            reject(ctx, 413, "The request body is larger than " + maxBodyBytes + " bytes.");
        } else if (hasBody(request) && !request.headers().contains(HttpHeaders.CONTENT_TYPE)) {
            reject(ctx, 415, "A request body needs Content-Type: application/json.");
        } else {
            if (hasBody(request) && !request.isEnded()) {
                BodyWatch.start(ctx, limits, detail -> reject(ctx, 408, detail));
            }
            ctx.next();
        }
    }

    /** A failure no endpoint handled: a problem document with an id to find the logged cause, never the cause itself. */
    private void failed(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().close();
            return;
        }
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (status >= 500) {
            String id = UUID.randomUUID().toString();
            LOG.errorf(ctx.failure(), "HTTP %d on %s %s, error id %s", status, ctx.request().method(), ctx.request().path(), id);
            write(ctx, Problem.ofStatus(status, "The request could not be completed; error id " + id + "."), false);
        } else {
            write(ctx, Problem.ofStatus(status, null), false);
        }
    }

    /** Answers and closes the connection: the rest of the request (an unread body) cannot be trusted to frame a next one. */
    private static void reject(RoutingContext ctx, int status, String detail) {
        write(ctx, Problem.ofStatus(status, detail), true);
    }

    private static void write(RoutingContext ctx, Problem problem, boolean close) {
        String body;
        try {
            body = JSON.writeValueAsString(problem.at(ctx.request().path()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var response = ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        // HTTP/2 forbids connection headers; its streams end on their own.
        if (close && ctx.request().version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close").endHandler(ended -> ctx.request().connection().close());
        }
        response.end(body);
    }

    private static boolean hasBody(HttpServerRequest request) {
        return WITH_BODY.contains(request.method())
                && (declaredLength(request) > 0 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING));
    }

    /** The Content-Length; 0 when absent; unparseable values are the codec's to refuse. */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int requestLineBytes(HttpServerRequest request) {
        // METHOD SP target SP HTTP/1.1
        return request.method().name().length() + 1 + request.uri().length() + 1 + 8;
    }

    private static int headerBytes(HttpServerRequest request) {
        int bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }
}
