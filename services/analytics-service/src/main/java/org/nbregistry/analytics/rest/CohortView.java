package org.nbregistry.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.nbregistry.analytics.statistics.CohortFilter;

import java.time.LocalDate;
import java.util.List;

/** The cohort filters an answer applied, echoed so that a saved answer says what it describes. */
@Schema(name = "Cohort")
public record CohortView(List<String> sites, LocalDate from, LocalDate to, List<String> episodeTypes, boolean firstEpisodesOnly) {

    static CohortView of(CohortFilter filter) {
        return new CohortView(filter.sites().stream().sorted().toList(), filter.from(), filter.to(),
                filter.episodeTypes().stream().sorted().toList(), filter.firstEpisodesOnly());
    }
}
