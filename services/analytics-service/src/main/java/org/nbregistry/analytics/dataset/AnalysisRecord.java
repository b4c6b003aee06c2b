package org.nbregistry.analytics.dataset;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The unit of analysis: one episode with its covariates and both endpoints in whole days from the episode date.
 *
 * @param covariates factor name → level for every factor whose level is known (see {@link Factors});
 *                   a factor missing here leaves the episode out of that grouping, as R's na.omit would
 * @param efsEnd     what ended EFS: next_episode, second_malignancy, death, or censored
 * @param characteristics what the descriptive table reports beyond the factors
 */
public record AnalysisRecord(String episodeId, String patientPseudonym, String site, LocalDate episodeDate, String episodeType,
                             int episodeOrder, Map<String, String> covariates, int efsDays, boolean efsEvent, String efsEnd,
                             int osDays, boolean osEvent, Characteristics characteristics) {

    /**
     * @param mycnStatus                the episode's MYCN status, or the patient's at diagnosis when the episode has none
     *                                  (amplified, gain, not_amplified, heterogeneous); null when neither is known
     * @param metastaticSites           the sites recorded for the episode (codes of the events)
     * @param bestResponse              best INRC overall response of the episode's assessments (CR > PR > MR > SD > PD > NE);
     *                                  null while it has none
     * @param patientSecondMalignancy   whether the patient has a subsequent malignancy on record
     */
    public record Characteristics(String mycnStatus, List<String> metastaticSites, String bestResponse, boolean patientSecondMalignancy) {
        public Characteristics {
            metastaticSites = List.copyOf(metastaticSites);
        }
    }

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
