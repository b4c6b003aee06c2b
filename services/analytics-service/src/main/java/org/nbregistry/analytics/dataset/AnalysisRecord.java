package org.nbregistry.analytics.dataset;

import java.time.LocalDate;
import java.util.Map;

/**
 * The unit of analysis: one episode with its covariates and both endpoints in whole days from the episode date.
 *
 * @param covariates factor name → level for every available factor whose level is known (see {@link Factors});
 *                   a factor missing here leaves the episode out of that grouping, as R's na.omit would
 * @param efsEnd     what ended EFS: next_episode, second_malignancy, death, or censored
 */
public record AnalysisRecord(String episodeId, String patientPseudonym, String site, LocalDate episodeDate, String episodeType,
                             int episodeOrder, Map<String, String> covariates, int efsDays, boolean efsEvent, String efsEnd,
                             int osDays, boolean osEvent) {

    public AnalysisRecord {
        covariates = Map.copyOf(covariates);
    }

    public int days(Endpoint endpoint) {
        return endpoint == Endpoint.EFS ? efsDays : osDays;
    }

    public boolean event(Endpoint endpoint) {
        return endpoint == Endpoint.EFS ? efsEvent : osEvent;
    }

    /** The level of a factor, or null when it is unknown for this episode. */
    public String level(String factor) {
        return covariates.get(factor);
    }
}
