package org.nbregistry.analytics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.plot.ForestSvg;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.survival.ConfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RReference.AS_OF;
import static org.nbregistry.analytics.RReference.LANDMARK;
import static org.nbregistry.contracts.RAnswers.assertClusteredPredictorsEqualR;
import static org.nbregistry.contracts.RAnswers.assertCompetingRisksEqualR;
import static org.nbregistry.contracts.RAnswers.assertIncidenceEqualsR;
import static org.nbregistry.contracts.RAnswers.find;
import static org.nbregistry.analytics.RReference.fixtureHistories;
import static org.nbregistry.contracts.RAnswers.assertSurvivalEqualsR;
import static org.nbregistry.contracts.RAnswers.resource;
import static org.nbregistry.analytics.RReference.tree;

/**
 * The analyst options computed as the service computes them (fixture histories → live dataset → queries → served
 * views) equal R's answers on the same cohort: the data cut-off and the landmark (reference.R on asof_*.csv and
 * landmark_*.csv), Cox with SE clustered by patient and the competing-risks incidence with Gray's test
 * (fixture/derive_options.R, reference_cr.R). Disclosure control is off here (threshold 1) so every number is compared.
 */
class AnalystOptionsMatchRTest {

    private static final double[] TIMES = {90, 180, 365};
    private static final double[] CR_TIMES = {90, 180, 365, 730};
    private static final List<String> KM_FACTORS = Arrays.asList(null, "episode_type", "chemotherapy");
    private static final List<String> COX_FACTORS = List.of("episode_type", "episode_order", "site", "chemotherapy", "immunotherapy",
            "local_radiotherapy");

    private static AnalystQueries queries;

    @BeforeAll
    static void loadTheFixture() {
        LiveStatistics live = new LiveStatistics((task, delay) -> { }, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 0);
        fixtureHistories().forEach(live::replacePatient);
        live.refreshNow();
        queries = new AnalystQueries(live);
    }

    @Test
    void survivalAtADataCutOffEqualsRsOnTheDataKnownThen() {
        for (Endpoint endpoint : Endpoint.values()) {
            JsonNode r = resource("fixture/asof_" + endpoint.name().toLowerCase() + ".expected.json");
            for (String factor : KM_FACTORS) {
                assertSurvivalEqualsR(endpoint + " as of " + AS_OF, r, survival(endpoint, factor, new Scope(AS_OF, null)), factor);
            }
        }
    }

    @Test
    void survivalFromALandmarkEqualsRsOnTheEpisodesStillAtRisk() {
        for (Endpoint endpoint : Endpoint.values()) {
            JsonNode r = resource("fixture/landmark_" + endpoint.name().toLowerCase() + ".expected.json");
            for (String factor : KM_FACTORS) {
                assertSurvivalEqualsR(endpoint + " from day " + LANDMARK, r, survival(endpoint, factor, new Scope(null, LANDMARK)), factor);
            }
        }
    }

    @Test
    void theDataCutOffAndTheLandmarkChangeTheAnswer() {
        JsonNode now = survival(Endpoint.OS, null, Scope.LIVE);
        JsonNode then = survival(Endpoint.OS, null, new Scope(AS_OF, null));
        assertEquals(46, now.path("overall").path("n").asInt());
        assertNotEquals(now.path("overall").path("n").asInt(), then.path("overall").path("n").asInt(), "episodes after the cut-off are unknown");
        assertEquals(AS_OF.toString(), then.path("asOf").asText());
        assertEquals(LANDMARK, survival(Endpoint.OS, null, new Scope(null, LANDMARK)).path("landmark").asInt());
    }

    @Test
    void predictorsWithStandardErrorsClusteredByPatientEqualRsCoxphWithCluster() {
        JsonNode r = resource("fixture/cox_cluster.expected.json");
        for (Endpoint endpoint : Endpoint.values()) {
            PredictorsView view = PredictorsView.of(endpoint.name(), CohortView.of(CohortFilter.ALL), Scope.LIVE, true,
                    queries.predictors(endpoint, CohortFilter.ALL, Scope.LIVE, true), 0.95, 1);
            assertClusteredPredictorsEqualR(endpoint.name(), r.path(endpoint.name().toLowerCase()), tree(view), COX_FACTORS);
            String csv = CsvExport.predictors(view);
            PredictorsView.PredictorLevel fxb = view.predictors().stream().filter(p -> p.factor().equals("site")).findFirst().orElseThrow()
                    .levels().stream().filter(l -> l.level().equals("FXB")).findFirst().orElseThrow();
            assertTrue(csv.contains("," + fxb.lower() + "," + fxb.upper() + ","), "the CSV carries the robust interval");
        }
    }

    @Test
    void theForestPlotOfClusteredPredictorsShowsTheRobustIntervalsAndSaysSo() {
        JsonNode r = resource("fixture/cox_cluster.expected.json").path("os").path("site").path("terms").get(0);
        PredictorsView view = PredictorsView.of("OS", CohortView.of(CohortFilter.ALL), Scope.LIVE, true,
                queries.predictors(Endpoint.OS, CohortFilter.ALL, Scope.LIVE, true), 0.95, 1);
        // The figure's text as read, lines joined: notes wrap to the figure's width.
        String text = ForestSvg.render(Plots.forest(view)).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
        String robust = String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", r.path("hr").asDouble(), r.path("lower").asDouble(),
                r.path("upper").asDouble());
        assertTrue(text.contains(robust), robust + " in the forest plot");
        assertTrue(text.contains("from robust standard errors clustered by patient"), text);
    }

    @Test
    void modelBasedStandardErrorsStayTheDefault() {
        JsonNode r = resource("fixture/cox_cluster.expected.json").path("os").path("site").path("terms").get(0);
        PredictorsView view = PredictorsView.of("OS", CohortView.of(CohortFilter.ALL), Scope.LIVE, false,
                queries.predictors(Endpoint.OS, CohortFilter.ALL, Scope.LIVE, false), 0.95, 1);
        JsonNode fxb = find(find(tree(view).path("predictors"), "factor", "site").path("levels"), "level", "FXB");
        assertEquals("model", tree(view).path("standardErrors").asText());
        double modelLower = Math.exp(r.path("coef").asDouble() - 1.959963984540054 * r.path("se").asDouble());
        assertEquals(modelLower, fxb.path("lower").asDouble(), 1e-6);
        assertNotEquals(r.path("lower").asDouble(), fxb.path("lower").asDouble(), 1e-3, "not the robust interval");
    }

    @Test
    void competingRisksEqualRsAalenJohansenAndGraysTest() {
        for (String factor : List.of("episode_type", "site")) {
            JsonNode r = resource("fixture/cr_" + factor + ".expected.json");
            assertCompetingRisksEqualR("by " + factor, r, competingRisks(factor));
        }
        JsonNode overall = competingRisks(null);
        assertIncidenceEqualsR("ungrouped", resource("fixture/cr_site.expected.json").path("overall"), overall.path("overall"));
        assertEquals(0, overall.path("tests").size());
    }

    private static JsonNode survival(Endpoint endpoint, String factor, Scope scope) {
        return tree(SurvivalAnalysisView.of(endpoint.name(), factor, CohortView.of(CohortFilter.ALL), scope,
                queries.survival(endpoint, factor, CohortFilter.ALL, scope), ConfType.LOG, 0.95, TIMES, 1));
    }

    private static JsonNode competingRisks(String factor) {
        return tree(CompetingRisksView.of(factor, CohortView.of(CohortFilter.ALL), null,
                queries.competingRisks(factor, CohortFilter.ALL, null, ConfType.LOG, 0.95), ConfType.LOG, 0.95, CR_TIMES, 1));
    }
}
