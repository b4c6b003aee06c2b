package org.nbregistry.analytics.survival;

/**
 * Day counts split by stratum; every {@code perStratum[s]} lists the same {@code groups} in the same
 * order (a group may have no records in a stratum). Input to the stratified log-rank test.
 */
public record StratifiedCounts(String[] groups, String[] strata, GroupedCounts[] perStratum) {

    public StratifiedCounts {
        if (strata.length != perStratum.length) {
            throw new IllegalArgumentException("one GroupedCounts per stratum");
        }
        for (GroupedCounts c : perStratum) {
            if (c.groupCount() != groups.length) {
                throw new IllegalArgumentException("every stratum must list all groups");
            }
        }
    }
}
