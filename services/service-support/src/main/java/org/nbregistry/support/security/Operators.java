package org.nbregistry.support.security;

/**
 * Who may read whole patient files in episode-service: callers whose bearer token carries the role
 * operator (registry staff and tooling). Sites read their own records through intake, analysts the statistics.
 */
public final class Operators {

    public static final String ROLE = "operator";
    /** The OpenAPI description of a 403 answer. */
    public static final String FORBIDDEN = "The token's role may not read patient files (they are for the role operator)";

    private Operators() {
    }
}
