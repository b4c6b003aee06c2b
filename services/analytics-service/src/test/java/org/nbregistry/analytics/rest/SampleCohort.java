package org.nbregistry.analytics.rest;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.AnalysisRecords;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;
import org.nbregistry.analytics.statistics.AnalysisKey;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.ConfType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small seeded cohort derived as the service derives it (patient histories → analysis records), and the views the
 * API would serve for it. Three patients get no chemotherapy, so that level is below the disclosure threshold; of 40
 * patients 4 are seen at S03, below it too, and S02 (16) is the next smallest site.
 */
final class SampleCohort {

    static final Instant REFLECTS = Instant.parse("2026-03-01T12:00:00Z");
    static final long VERSION = 42;

    private SampleCohort() {
    }

    static List<AnalysisRecord> records(int patients, long seed) {
        Random random = new Random(seed);
        List<AnalysisRecord> records = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            String id = "P" + i;
            String site = i % 10 == 9 ? "S03" : i % 2 == 0 ? "S01" : "S02";
            LocalDate date = LocalDate.of(2020, 1, 1).plusDays(random.nextInt(700));
            PatientHistory h = PatientHistory.empty(id).withEpisode("e" + i, new EpisodeFacts("EP-" + i, site, "EP-1",
                    i % 3 == 0 ? "refractory" : i % 3 == 1 ? "relapse" : "progression", date, 1, Map.of()));
            LocalDate last = date.plusDays(20 + random.nextInt(1200));
            h = h.withFollowUp("f" + i, last, random.nextInt(10) < 6 ? last : null);
            if (i >= 3) {
                h = h.withTreatment("t" + i, new TreatmentFacts("T" + i, site, "TR-" + i, "EP-1", "chemotherapy", date, Map.of()));
            }
            if (i % 2 == 1) {
                h = h.withTreatment("i" + i, new TreatmentFacts("I" + i, site, "TI-" + i, "EP-1", "immunotherapy", date, Map.of()));
            }
            records.addAll(AnalysisRecords.derive(h.nextVersion()));
        }
        return records;
    }

    static SurvivalAnalysisView survival(List<AnalysisRecord> records, Endpoint endpoint, String factor) {
        SurvivalStatistics overall = SurvivalStatistics.fromRecords(records, AnalysisKey.overall(endpoint));
        SurvivalStatistics grouped = factor == null ? null : SurvivalStatistics.fromRecords(records, new AnalysisKey(endpoint, factor));
        return SurvivalAnalysisView.of(endpoint.name(), factor, CohortView.of(CohortFilter.ALL), Scope.LIVE,
                new AnalystQueries.SurvivalAnswer(VERSION, REFLECTS, overall, grouped), ConfType.LOG, 0.95, new double[] {365, 730}, 5);
    }

    static PredictorsView predictors(List<AnalysisRecord> records, Endpoint endpoint) {
        Map<String, SurvivalStatistics> byFactor = new LinkedHashMap<>();
        Factors.all().forEach(f -> byFactor.put(f.name(), SurvivalStatistics.fromRecords(records, new AnalysisKey(endpoint, f.name()))));
        return PredictorsView.of(endpoint.name(), CohortView.of(CohortFilter.ALL), Scope.LIVE, false,
                new AnalystQueries.PredictorsAnswer(VERSION, REFLECTS, byFactor), 0.95, 5);
    }
}
