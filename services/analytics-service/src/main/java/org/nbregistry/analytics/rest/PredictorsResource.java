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
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.plot.ForestSvg;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.util.List;

@Path("/v1")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Predictors")
public class PredictorsResource {

    /** A factor analysts can group by or read as a predictor. */
    @Schema(name = "Factor")
    public record FactorView(String name, String label) {
    }

    private final AnalystQueries queries;
    private final int minGroupSize;

    public PredictorsResource(AnalystQueries queries,
                              @ConfigProperty(name = "registry.analytics.disclosure.min-group-size", defaultValue = "5") int minGroupSize) {
        this.queries = queries;
        this.minGroupSize = minGroupSize;
    }

    @GET
    @Path("/predictors")
    @Produces({MediaType.APPLICATION_JSON, Representations.SVG, Representations.CSV})
    @Operation(summary = "Univariate predictors of EFS or OS: per factor n, events, hazard ratio with CI, Wald p and log-rank p",
            description = "format=svg draws the table as a forest plot (hazard ratios on a log axis; suppressed levels carry no "
                    + "marker); format=csv is the table with one row per factor level. cluster=patient fits each model per "
                    + "episode with the robust (sandwich) variance clustered by patient, as R's coxph(..., cluster = patient): "
                    + "the hazard ratios are the same, their intervals and Wald p use the robust standard error (the log-rank "
                    + "p stays the unclustered test); JSON, CSV and the forest plot all show those. When a single level of a "
                    + "factor is suppressed, the next smallest level is withheld too (its reason says so), so that the hidden "
                    + "count cannot be worked out from the cohort's. R's equivalents, per factor g on the cohort's episodes d: "
                    + "fit <- coxph(Surv(time, status) ~ g, d) (cluster = patient with cluster=patient): summary(fit) "
                    + "(coef, se(coef), robust se, z, exp(coef), CI, Pr(>|z|); likelihood ratio, Wald and score tests), "
                    + "fit$concordance[c(\"concordance\", \"std\")], cox.zph(fit); logRankP: survdiff(Surv(time, status) ~ g, d).")
    @APIResponse(responseCode = "200", description = "The table at the dataset version it reflects", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PredictorsView.class)),
            @Content(mediaType = Representations.SVG, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = Representations.CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "Columns: " + CsvExport.PREDICTORS_HEADER))})
    @APIResponse(responseCode = "400", description = "A parameter has an invalid value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response predictors(
            @Parameter(description = "EFS or OS", required = true) @QueryParam("endpoint") String endpoint,
            @BeanParam CohortQuery cohortQuery,
            @Parameter(description = "Confidence level of the hazard-ratio intervals, default 0.95") @QueryParam("confLevel") String confLevel,
            @Parameter(description = "json (default), svg or csv") @QueryParam("format") String format,
            @Parameter(description = "patient: standard errors clustered by patient (robust); none (default): model-based")
            @QueryParam("cluster") String cluster,
            @Parameter(description = AnalysisParameters.AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = AnalysisParameters.LANDMARK) @QueryParam("landmark") String landmark) {
        Endpoint e = AnalysisParameters.endpoint(endpoint);
        CohortFilter cohort = cohortQuery.filter();
        double level = AnalysisParameters.confLevel(confLevel);
        AnalysisParameters.Format as = AnalysisParameters.format(format);
        boolean clustered = AnalysisParameters.clusterByPatient(cluster);
        Scope scope = AnalysisParameters.scope(asOf, landmark);
        PredictorsView view = PredictorsView.of(e.name(), CohortView.of(cohort), scope, clustered,
                queries.predictors(e, cohort, scope, clustered), level, minGroupSize);
        return Representations.respond(as, view, () -> ForestSvg.render(Plots.forest(view)), () -> CsvExport.predictors(view),
                "predictors-" + e.name() + "-v" + view.datasetVersion());
    }

    @GET
    @Path("/factors")
    @Operation(summary = "The factors analyses can be grouped by, which are also the predictors")
    public List<FactorView> factors() {
        return Factors.all().stream().map(f -> new FactorView(f.name(), f.label())).toList();
    }
}
