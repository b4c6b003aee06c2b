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

    /** Longest wait for a request body to arrive completely; later answers 408 and closes the connection. */
    @WithDefault("10s")
    Duration bodyTimeout();

    /**
     * The registry's public address (scheme, host, port and path prefix), e.g. https://registry.example.org. Location
     * headers and links start with it; without it they are relative references. Never taken from the request's Host.
     */
    Optional<String> publicBaseUrl();
}
