package org.nbregistry.analytics.rest;

/** Who may read the statistics: callers whose bearer token carries the role analyst (a site's token does not). */
final class Analysts {

    static final String ROLE = "analyst";
    /** The OpenAPI description of a 403 answer. */
    static final String FORBIDDEN = "The token's role may not read the statistics (they are for the role analyst)";

    private Analysts() {
    }
}
