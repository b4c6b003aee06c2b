package org.nbregistry.support.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The limits every service enforces on a request before it reaches an endpoint, each answered with a problem
 * document (RequestGuard). The HTTP codec's own limits (quarkus.http.limits.max-initial-line-length and
 * max-header-size) are set above these, so that the codec, which can only answer with an empty body, is reached
 * only by requests far beyond them. The body size is Quarkus' own quarkus.http.limits.max-body-size.
 */
@ConfigMapping(prefix = "registry.http")
public interface HttpLimits {

    /** Longest request line (method, target and version), in bytes; longer answers 414. */
    @WithDefault("4096")
    int maxRequestLine();

    /** Largest sum of header names and values, in bytes; larger answers 431. */
    @WithDefault("16384")
    int maxHeaderBytes();

    /**
     * Longest pause in a request body while the service reads it; longer answers 408 and closes the connection. The
     * clock starts with the first bytes of the body the service takes in: until then the request waits for the
     * service (routing, authentication, role checks, a busy event loop), not for the client. It counts in ticks of
     * the event loop that reads the body, so a loop too busy to read cannot take its own delay for the client's.
     */
    @WithDefault("10s")
    Duration bodyIdleTimeout();

    /**
     * Longest time from the start of a request until its body has arrived completely, however steadily it comes;
     * later answers 408 and closes the connection. It bounds a client that dribbles and one that sends none of a
     * body it announced, and is far above the service's own delays under load. Kept below intake's connection idle
     * timeout (60 s), so that a body that never comes is answered before the connection is dropped.
     */
    @WithDefault("50s")
    Duration bodyTimeout();

    /**
     * The registry's public address (scheme, host, port and path prefix), e.g. https://registry.example.org. Location
     * headers and links start with it; without it they are relative references. Never taken from the request's Host.
     */
    Optional<String> publicBaseUrl();
}
