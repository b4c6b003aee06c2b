package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers analysts' questions from one consistent dataset version: the whole registry from the incremental
 * analyses, a filtered cohort from scratch over its records (O(records), the same statistics code).
 */
public final class AnalystQueries {

    /**
     * @param overall the whole cohort, ungrouped
     * @param grouped by the factor's levels (episodes without a level left out), or null without a grouping
     */
    public record SurvivalAnswer(long datasetVersion, Instant reflectsChangesUpTo, SurvivalStatistics overall,
                                 SurvivalStatistics grouped) {
    }

    /** One grouped analysis per available factor, in {@link Factors} order. */
    public record PredictorsAnswer(long datasetVersion, Instant reflectsChangesUpTo, Map<String, SurvivalStatistics> byFactor) {
    }

    /** The descriptive table of a cohort at one dataset version. */
    public record SummaryAnswer(long datasetVersion, Instant reflectsChangesUpTo, CohortSummary summary) {
    }

    private final LiveStatistics live;

    public AnalystQueries(LiveStatistics live) {
        this.live = live;
    }

    public SurvivalAnswer survival(Endpoint endpoint, String factor, CohortFilter cohort) {
        AnalysisKey overall = AnalysisKey.overall(endpoint);
        AnalysisKey grouped = factor == null ? null : new AnalysisKey(endpoint, factor);
        if (cohort.isAll()) {
            LiveStatistics.Refreshed current = live.current();
            return new SurvivalAnswer(current.datasetVersion(), current.reflectsChangesUpTo(), current.get(overall),
                    grouped == null ? null : current.get(grouped));
        }
        LiveStatistics.Dataset dataset = live.dataset();
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new SurvivalAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(),
                SurvivalStatistics.fromRecords(records, overall),
                grouped == null ? null : SurvivalStatistics.fromRecords(records, grouped));
    }

    public PredictorsAnswer predictors(Endpoint endpoint, CohortFilter cohort) {
        Map<String, SurvivalStatistics> byFactor = new LinkedHashMap<>();
        if (cohort.isAll()) {
            LiveStatistics.Refreshed current = live.current();
            Factors.availableFactors().forEach(f -> byFactor.put(f.name(), current.get(new AnalysisKey(endpoint, f.name()))));
            return new PredictorsAnswer(current.datasetVersion(), current.reflectsChangesUpTo(), byFactor);
        }
        LiveStatistics.Dataset dataset = live.dataset();
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        Factors.availableFactors().forEach(f -> byFactor.put(f.name(),
                SurvivalStatistics.fromRecords(records, new AnalysisKey(endpoint, f.name()))));
        return new PredictorsAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(), byFactor);
    }

    /** Always from the dataset itself (O(records)): counts need no incremental state, and this is never behind. */
    public SummaryAnswer summary(CohortFilter cohort, int minGroupSize) {
        LiveStatistics.Dataset dataset = live.dataset();
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new SummaryAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(), CohortSummary.of(records, minGroupSize));
    }
}
