package org.nbregistry.analytics.rest;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.nbregistry.analytics.statistics.CohortFilter;

import java.util.List;

/** The cohort filters every analysis takes, read from the query string in one place. */
public class CohortQuery {

    @Parameter(description = "Site codes to include; repeat or separate by commas")
    @QueryParam("site")
    List<String> sites;

    @Parameter(description = "First episode date included (YYYY-MM-DD)")
    @QueryParam("from")
    String from;

    @Parameter(description = "Last episode date included (YYYY-MM-DD)")
    @QueryParam("to")
    String to;

    @Parameter(description = "Episode types to include: refractory, relapse, progression")
    @QueryParam("episodeType")
    List<String> episodeTypes;

    @Parameter(description = "Only each patient's first episode (true/false)")
    @QueryParam("firstEpisodesOnly")
    String firstEpisodesOnly;

    /** The filter, or a 400 problem naming the parameter that breaks its rule. */
    CohortFilter filter() {
        return AnalysisParameters.cohort(sites, from, to, episodeTypes, firstEpisodesOnly);
    }
}
