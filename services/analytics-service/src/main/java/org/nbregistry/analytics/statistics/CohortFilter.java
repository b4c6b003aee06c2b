package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;

import java.time.LocalDate;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which episodes an analysis includes. Empty sets and null dates do not restrict.
 *
 * @param from first episode date included, or null
 * @param to   last episode date included, or null
 */
public record CohortFilter(Set<String> sites, LocalDate from, LocalDate to, Set<String> episodeTypes,
                           boolean firstEpisodesOnly) implements Predicate<AnalysisRecord> {

    public static final CohortFilter ALL = new CohortFilter(Set.of(), null, null, Set.of(), false);

    public CohortFilter {
        sites = Set.copyOf(sites);
        episodeTypes = Set.copyOf(episodeTypes);
    }

    /** True when every episode is included: the incremental analyses answer without filtering. */
    public boolean isAll() {
        return equals(ALL);
    }

    @Override
    public boolean test(AnalysisRecord r) {
        return (sites.isEmpty() || sites.contains(r.site()))
                && (from == null || !r.episodeDate().isBefore(from))
                && (to == null || !r.episodeDate().isAfter(to))
                && (episodeTypes.isEmpty() || episodeTypes.contains(r.episodeType()))
                && (!firstEpisodesOnly || r.episodeOrder() == 1);
    }
}
