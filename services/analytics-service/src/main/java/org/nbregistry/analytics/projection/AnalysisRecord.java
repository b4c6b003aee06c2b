package org.nbregistry.analytics.projection;

import java.time.LocalDate;

/** The unit of analysis: one episode with its overall-survival time in whole days and whether it ended in death. */
public record AnalysisRecord(String episodeId, String patientPseudonym, String site, LocalDate episodeDate, String episodeType,
                             int episodeOrder, int osDays, boolean osEvent) {
}
