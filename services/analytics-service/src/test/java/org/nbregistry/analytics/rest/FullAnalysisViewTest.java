package org.nbregistry.analytics.rest;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.statistics.AnalysisKey;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.CoxModel;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.Tabulation;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live analyses keep curves and a Cox fit without cox.zph: the tests and the Cox summary the views derive from them
 * (counts rebuilt from the curves, the model refitted with cox.zph from its estimate) equal those from the records.
 * Disclosure: a withheld level withholds every test and a model term.
 */
class FullAnalysisViewTest {

    private final List<AnalysisRecord> records = SampleCohort.records(40, 7);

    @Test
    void countsRebuiltFromTheCurvesAreTheTabulatedCounts() {
        SurvivalStatistics stats = SurvivalStatistics.fromRecords(records, new AnalysisKey(Endpoint.OS, "episode_type"));
        GroupedCounts counts = stats.counts();
        String[] levels = stats.groups().toArray(String[]::new);
        int[] group = records.stream().mapToInt(r -> Arrays.asList(levels).indexOf(r.level("episode_type"))).toArray();
        GroupedCounts tabulated = Tabulation.groupedCounts(levels, group, records.stream().mapToInt(r -> r.days(Endpoint.OS)).toArray(),
                records.stream().mapToInt(r -> r.event(Endpoint.OS) ? 1 : 0).toArray());
        assertArrayEquals(tabulated.days(), counts.days());
        for (int g = 0; g < levels.length; g++) {
            assertArrayEquals(tabulated.events()[g], counts.events()[g]);
            assertArrayEquals(tabulated.censored()[g], counts.censored()[g]);
        }
    }

    @Test
    void theCoxSummaryOfALiveFitWithoutZphEqualsTheOneFromTheRecords() {
        SurvivalStatistics fromRecords = SurvivalStatistics.fromRecords(records, new AnalysisKey(Endpoint.EFS, "episode_type"));
        SurvivalStatistics live = new SurvivalStatistics(fromRecords.groups(), fromRecords.curves(), fromRecords.logRank(),
                Cox.fitCategorical(List.of(fromRecords.counts()), Cox.Ties.EFRON, null, false), null);
        assertNull(live.cox().zph());
        SurvivalAnalysisView.UnivariateCox expected = SurvivalAnalysisView.univariateCox("episode_type", fromRecords);
        SurvivalAnalysisView.UnivariateCox actual = SurvivalAnalysisView.univariateCox("episode_type", live);
        assertEquals(expected.proportionalHazards().size(), actual.proportionalHazards().size());
        assertEquals("GLOBAL", actual.proportionalHazards().get(actual.proportionalHazards().size() - 1).term());
        for (int i = 0; i < expected.proportionalHazards().size(); i++) {
            assertEquals(expected.proportionalHazards().get(i).chisq(), actual.proportionalHazards().get(i).chisq(), 1e-9);
        }
        for (int j = 0; j < expected.coefficients().size(); j++) {
            assertEquals(expected.coefficients().get(j).coefficient(), actual.coefficients().get(j).coefficient(), 1e-9);
            assertEquals("episode_type", actual.coefficients().get(j).term());
        }
        assertEquals(expected.concordance(), actual.concordance());
        assertEquals(expected.tests().score().statistic(), actual.tests().score().statistic(), 1e-12);
    }

    @Test
    void aWithheldLevelWithholdsEveryTestOfTheGrouping() {
        // SampleCohort: S03 has fewer episodes than the threshold.
        SurvivalAnalysisView view = SampleCohort.survival(records, Endpoint.OS, "site");
        assertTrue(view.tests().suppressed());
        assertNull(view.tests().gRho());
        assertNull(view.tests().cox());
        SurvivalAnalysisView shown = SampleCohort.survival(records, Endpoint.OS, "episode_type");
        assertNotNull(shown.tests().cox().concordance().value());
        assertEquals(3, shown.groups().get(0).quantiles().size());
        assertNotNull(shown.groups().get(0).medianFollowUp());
    }

    @Test
    void aModelTermWithASmallLevelIsWithheldWithTheWholeModelFigures() {
        CoxModel.Spec spec = new CoxModel.Spec(Endpoint.OS, List.of("chemotherapy", "immunotherapy"), null, null, false, Cox.Ties.EFRON);
        CoxModelView view = CoxModelView.of(CohortView.of(CohortFilter.ALL), Scope.LIVE,
                new AnalystQueries.CoxModelAnswer(1, SampleCohort.REFLECTS, CoxModel.fit(records, spec, null)), 5);
        // Three patients had no chemotherapy.
        assertTrue(view.coefficients().get(0).suppressed());
        assertNull(view.coefficients().get(0).hazardRatio());
        assertNotNull(view.coefficients().get(1).hazardRatio());
        assertNull(view.tests().likelihoodRatio().p());
        assertNull(view.concordance().value());
        assertTrue(view.suppressed().contains("chemotherapy"));
        assertEquals(records.size(), view.n());
        CoxModelView shown = CoxModelView.of(CohortView.of(CohortFilter.ALL), Scope.LIVE,
                new AnalystQueries.CoxModelAnswer(1, SampleCohort.REFLECTS, CoxModel.fit(records,
                        new CoxModel.Spec(Endpoint.OS, List.of("immunotherapy", "episode_type"), List.of("immunotherapy", "episode_type"),
                                null, true, Cox.Ties.BRESLOW), null)), 5);
        assertNull(shown.suppressed());
        assertEquals("immunotherapy:episode_type", shown.coefficients().get(shown.coefficients().size() - 1).term());
        assertNotNull(shown.coefficients().get(0).robustStdErr());
        assertEquals("GLOBAL", shown.proportionalHazards().get(shown.proportionalHazards().size() - 1).term());
    }
}
