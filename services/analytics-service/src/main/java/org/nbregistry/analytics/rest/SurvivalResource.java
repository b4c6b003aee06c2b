package org.nbregistry.analytics.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.plot.KaplanMeierSvg;
import org.nbregistry.analytics.plot.TimeUnit;
import org.nbregistry.analytics.statistics.AnalysisKey;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.StratifiedCounts;

import java.util.List;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;


@Path("/v1/survival")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survival")
public class SurvivalResource {

    private final LiveStatistics statistics;
    private final AnalystQueries queries;
    private final int minGroupSize;

    public SurvivalResource(LiveStatistics statistics, AnalystQueries queries,
                            @ConfigProperty(name = "registry.analytics.disclosure.min-group-size", defaultValue = "5") int minGroupSize) {
        this.statistics = statistics;
        this.queries = queries;
        this.minGroupSize = minGroupSize;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, Representations.SVG, Representations.CSV})
    @Operation(summary = "Kaplan–Meier survival of a cohort, optionally by the levels of a factor with the log-rank test",
            description = "EFS or OS from the episode date, in days. Groups with fewer episodes than the disclosure threshold "
                    + "are reported as suppressed, without numbers, and so is any test that involves them. "
                    + "format=svg draws the curves (suppressed groups are not drawn and are named in a note) with censor marks, "
                    + "the numbers at risk at each axis tick and the log-rank p-value; format=csv is the Kaplan–Meier table "
                    + "of the cohort (group 'all') and of each group. When a single group of the factor is suppressed, the next "
                    + "smallest is withheld too (its reason says so), and with a single group the count of excluded episodes, "
                    + "so that no suppressed count can be worked out by subtraction from the cohort's. asOf (data cut-off) "
                    + "and landmark are described with their parameters. R's equivalents, on the cohort's episodes d: "
                    + "fit <- survfit(Surv(time, status) ~ g, d, conf.type, conf.int) (table: time, n.risk, n.event, n.censor, "
                    + "surv, SE of S, lower, upper, cumhaz, std.chaz); summary(fit, times, extend = TRUE) (estimates); "
                    + "summary(fit)$table median and CI; quantile(fit, probs, conf.int = TRUE) (quantiles); "
                    + "summary(fit, rmean = tau)$table[, c(\"rmean\", \"se(rmean)\")] (rmst); median follow-up: the median of "
                    + "survfit(Surv(time, 1 - status) ~ g); comparison: survdiff(Surv(time, status) ~ g); tests.gRho: "
                    + "survdiff(..., rho = rho); tests.trend: U = s'(obs - exp), V = s' var s from survdiff, s the numeric levels "
                    + "or 1..K; tests.stratified: survdiff(Surv(time, status) ~ g + strata(s), rho = rho) on the episodes with "
                    + "a level of s; tests.pairwise: survdiff on each pair's episodes, p.adjust(p, \"holm\") and "
                    + "\"bonferroni\"; tests.rmstDifferences: rmean difference with sqrt(se1^2 + se0^2) and 2 * pnorm(-|z|); "
                    + "tests.cox: coxph(Surv(time, status) ~ g, d) (summary, fit$concordance, cox.zph(fit)).")
    @APIResponse(responseCode = "200", description = "The analysis at the dataset version it reflects", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SurvivalAnalysisView.class)),
            @Content(mediaType = Representations.SVG, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Representations.CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "Columns: " + CsvExport.KM_HEADER))})
    @APIResponse(responseCode = "400", description = "A parameter has an invalid value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response survival(
            @Parameter(description = "EFS or OS", required = true) @QueryParam("endpoint") String endpoint,
            @Parameter(description = "Factor whose levels are compared (see /v1/factors)") @QueryParam("groupBy") String groupBy,
            @BeanParam CohortQuery cohortQuery,
            @Parameter(description = "Confidence interval transform: log (default), log-log or plain") @QueryParam("confType") String confType,
            @Parameter(description = "Confidence level, default 0.95") @QueryParam("confLevel") String confLevel,
            @Parameter(description = "Days at which survival is estimated, comma-separated; default 365,730,1095") @QueryParam("times") String times,
            @Parameter(description = "json (default), svg or csv") @QueryParam("format") String format,
            @Parameter(description = "format=svg: shade the confidence band of each curve (true/false, default false)") @QueryParam("ciBand") String ciBand,
            @Parameter(description = "format=svg: the time axis and numbers-at-risk columns in days (default), months or years "
                    + "(of 365.25 days)", schema = @Schema(enumeration = {"days", "months", "years"})) @QueryParam("timeUnit") String timeUnit,
            @Parameter(description = AnalysisParameters.AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = AnalysisParameters.LANDMARK) @QueryParam("landmark") String landmark,
            @Parameter(description = "Probabilities of the survival-time quantiles, comma-separated, each in (0, 1); default "
                    + AnalysisParameters.DEFAULT_PROBS) @QueryParam("probs") String probs,
            @Parameter(description = "Horizon in days of the restricted mean survival time (and its differences between groups); "
                    + "none by default") @QueryParam("tau") String tau,
            @Parameter(description = "rho of the G-rho test in tests.gRho and of the stratified and pairwise tests: 0 log-rank "
                    + "(default), 1 Peto–Peto; 0 to 10") @QueryParam("rho") String rho,
            @Parameter(description = "Factor to stratify the test by (e.g. site); needs groupBy, and differs from it")
            @QueryParam("strata") String strata) {
        Endpoint e = AnalysisParameters.endpoint(endpoint);
        String factor = AnalysisParameters.factor("groupBy", groupBy);
        String strataBy = AnalysisParameters.strata(strata, factor == null ? List.of() : List.of(factor), "groupBy");
        if (strataBy != null && factor == null) {
            throw new InvalidParameterException("strata", "requires", "strata needs groupBy: it stratifies the comparison of groups");
        }
        CohortFilter cohort = cohortQuery.filter();
        ConfType type = AnalysisParameters.confType(confType);
        double level = AnalysisParameters.confLevel(confLevel);
        double[] at = AnalysisParameters.times(times);
        AnalysisParameters.Format as = AnalysisParameters.format(format);
        boolean band = AnalysisParameters.flag("ciBand", ciBand);
        TimeUnit unit = AnalysisParameters.timeUnit(timeUnit);
        Scope scope = AnalysisParameters.scope(asOf, landmark);
        double[] quantiles = AnalysisParameters.probs(probs);
        Integer horizon = AnalysisParameters.tau(tau);
        double weight = AnalysisParameters.rho(rho);
        AnalystQueries.SurvivalAnswer answer;
        StratifiedCounts byStratum = null;
        if (strataBy == null) {
            answer = queries.survival(e, factor, cohort, scope);
        } else {
            AnalystQueries.StratifiedSurvivalAnswer stratified = queries.survivalStratified(e, factor, strataBy, cohort, scope);
            answer = stratified.survival();
            byStratum = stratified.byStratum();
        }
        SurvivalAnalysisView view = SurvivalAnalysisView.of(e.name(), factor, CohortView.of(cohort), scope, answer, type, level, at,
                minGroupSize, new SurvivalAnalysisView.Options(quantiles, horizon, weight, strataBy, byStratum));
        return Representations.respond(as, view, () -> KaplanMeierSvg.render(Plots.kaplanMeier(view, band, unit)), () -> CsvExport.survival(view),
                "survival-" + e.name() + (factor == null ? "" : "-by-" + factor) + "-v" + view.datasetVersion());
    }

    @GET
    @Path("/os")
    @Operation(summary = "Overall survival (Kaplan–Meier) of every episode in the registry",
            description = "With fewer episodes than the disclosure threshold, only the reason is shown. R's equivalent: "
                    + "fit <- survfit(Surv(os_days, os_status) ~ 1, d) (log CI, 95%): time, n.risk, n.event, n.censor, surv, "
                    + "summary(fit)$std.err (SE of S), lower, upper, cumhaz, std.chaz; median follow-up: the median of "
                    + "survfit(Surv(os_days, 1 - os_status) ~ 1) with its CI.")
    public SurvivalView overallSurvival() {
        LiveStatistics.Refreshed current = statistics.current();
        return SurvivalView.of("OS", current.datasetVersion(), current.reflectsChangesUpTo(),
                current.get(AnalysisKey.overall(Endpoint.OS)).overall(), minGroupSize);
    }
}
