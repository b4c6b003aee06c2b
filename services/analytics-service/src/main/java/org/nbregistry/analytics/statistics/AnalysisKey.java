package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.Endpoint;

/**
 * One incremental analysis: an endpoint, ungrouped ({@code factor} null) or grouped by a factor's levels.
 */
public record AnalysisKey(Endpoint endpoint, String factor) {

    public static AnalysisKey overall(Endpoint endpoint) {
        return new AnalysisKey(endpoint, null);
    }

    /** The group an ungrouped analysis puts every episode in. */
    static final String ALL = "all";
}
