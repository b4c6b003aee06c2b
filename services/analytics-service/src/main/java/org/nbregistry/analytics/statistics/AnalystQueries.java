package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.StratifiedCounts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers analysts' questions from one consistent dataset version: the whole registry from the incremental
 * analyses, a filtered cohort, a data cut-off, a landmark or clustered standard errors from scratch over the records
 * (O(records), the same statistics code).
 */
public final class AnalystQueries {

    /**
     * @param overall the whole cohort, ungrouped
     * @param grouped by the factor's levels (episodes without a level left out), or null without a grouping
     */
    public record SurvivalAnswer(long datasetVersion, Instant reflectsChangesUpTo, SurvivalStatistics overall,
                                 SurvivalStatistics grouped) {
    }

    /** One grouped analysis per factor, in {@link Factors} order. */
    public record PredictorsAnswer(long datasetVersion, Instant reflectsChangesUpTo, Map<String, SurvivalStatistics> byFactor) {
    }

    /** The descriptive table of a cohort at one dataset version. */
    public record SummaryAnswer(long datasetVersion, Instant reflectsChangesUpTo, CohortSummary summary) {
    }

    private final LiveStatistics live;

    public AnalystQueries(LiveStatistics live) {
        this.live = live;
    }

    /** The cohort's curves of what ended EFS, by the levels of a factor when one is given. */
    public record CompetingRisksAnswer(long datasetVersion, Instant reflectsChangesUpTo, CompetingRisksStatistics statistics) {
    }

    public SurvivalAnswer survival(Endpoint endpoint, String factor, CohortFilter cohort, Scope scope) {
        AnalysisKey overall = AnalysisKey.overall(endpoint);
        AnalysisKey grouped = factor == null ? null : new AnalysisKey(endpoint, factor);
        if (cohort.isAll() && scope.isLive()) {
            LiveStatistics.Refreshed current = live.current();
            return new SurvivalAnswer(current.datasetVersion(), current.reflectsChangesUpTo(), current.get(overall),
                    grouped == null ? null : current.get(grouped));
        }
        LiveStatistics.Dataset dataset = dataset(scope.asOf());
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new SurvivalAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(),
                SurvivalStatistics.fromRecords(records, overall, scope.landmark()),
                grouped == null ? null : SurvivalStatistics.fromRecords(records, grouped, scope.landmark()));
    }

    /** @param clusterByPatient Cox models with the robust variance clustered by patient, fitted per record */
    public PredictorsAnswer predictors(Endpoint endpoint, CohortFilter cohort, Scope scope, boolean clusterByPatient) {
        Map<String, SurvivalStatistics> byFactor = new LinkedHashMap<>();
        if (cohort.isAll() && scope.isLive() && !clusterByPatient) {
            LiveStatistics.Refreshed current = live.current();
            Factors.all().forEach(f -> byFactor.put(f.name(), current.get(new AnalysisKey(endpoint, f.name()))));
            return new PredictorsAnswer(current.datasetVersion(), current.reflectsChangesUpTo(), byFactor);
        }
        LiveStatistics.Dataset dataset = dataset(scope.asOf());
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        Factors.all().forEach(f -> {
            AnalysisKey key = new AnalysisKey(endpoint, f.name());
            byFactor.put(f.name(), clusterByPatient ? SurvivalStatistics.clusteredByPatient(records, key, scope.landmark())
                    : SurvivalStatistics.fromRecords(records, key, scope.landmark()));
        });
        return new PredictorsAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(), byFactor);
    }

    /** Always from the records (O(records)); asOf null for everything known now. */
    public CompetingRisksAnswer competingRisks(String factor, CohortFilter cohort, LocalDate asOf, ConfType confType, double confLevel) {
        LiveStatistics.Dataset dataset = dataset(asOf);
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new CompetingRisksAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(),
                CompetingRisksStatistics.fromRecords(records, factor, confType, confLevel));
    }

    /** Always from the dataset itself (O(records)): counts need no incremental state, and this is never behind. */
    public SummaryAnswer summary(CohortFilter cohort, LocalDate asOf, int minGroupSize) {
        LiveStatistics.Dataset dataset = dataset(asOf);
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new SummaryAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(), CohortSummary.of(records, minGroupSize));
    }

    /** A survival answer with the grouped analysis' counts split by the levels of another factor. */
    public record StratifiedSurvivalAnswer(SurvivalAnswer survival, StratifiedCounts byStratum) {
    }

    /** As {@link #survival}, with the day counts by stratum for stratified tests; always from the records (O(records)). */
    public StratifiedSurvivalAnswer survivalStratified(Endpoint endpoint, String factor, String strataBy, CohortFilter cohort,
                                                       Scope scope) {
        AnalysisKey grouped = new AnalysisKey(endpoint, factor);
        LiveStatistics.Dataset dataset = dataset(scope.asOf());
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        SurvivalAnswer survival = new SurvivalAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(),
                SurvivalStatistics.fromRecords(records, AnalysisKey.overall(endpoint), scope.landmark()),
                SurvivalStatistics.fromRecords(records, grouped, scope.landmark()));
        return new StratifiedSurvivalAnswer(survival, SurvivalStatistics.stratifiedCounts(records, grouped, strataBy, scope.landmark()));
    }

    /** A multivariable Cox model fitted on the cohort's records (O(records · iterations)). */
    public record CoxModelAnswer(long datasetVersion, Instant reflectsChangesUpTo, CoxModel model) {
    }

    public CoxModelAnswer coxModel(CoxModel.Spec spec, CohortFilter cohort, Scope scope) {
        LiveStatistics.Dataset dataset = dataset(scope.asOf());
        List<AnalysisRecord> records = dataset.records().stream().filter(cohort).toList();
        return new CoxModelAnswer(dataset.datasetVersion(), dataset.reflectsChangesUpTo(), CoxModel.fit(records, spec, scope.landmark()));
    }

    private LiveStatistics.Dataset dataset(LocalDate asOf) {
        return asOf == null ? live.dataset() : live.datasetAsOf(asOf);
    }
}
