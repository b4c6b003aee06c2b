package org.nbregistry.local.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The running platform a bench measures, as its launcher's state file describes it, and the tokens to talk to it.
 *
 * @param launcherPid the platform launcher, whose descendants are the servers and services
 * @param siteToken   a token with the role site for a site code
 * @param analystToken a token with the role analyst
 */
public record BenchTarget(URI intake, URI analytics, String kafkaBootstrapServers, long launcherPid, Path dataDir,
                          Function<String, String> siteToken, Supplier<String> analystToken) {
}
