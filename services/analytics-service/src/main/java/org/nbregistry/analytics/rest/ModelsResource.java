package org.nbregistry.analytics.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.CoxModel;
import org.nbregistry.analytics.statistics.Scope;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.util.List;

@Path("/v1/models")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models")
public class ModelsResource {

    private final AnalystQueries queries;
    private final int minGroupSize;

    public ModelsResource(AnalystQueries queries,
                          @ConfigProperty(name = "registry.analytics.disclosure.min-group-size", defaultValue = "5") int minGroupSize) {
        this.queries = queries;
        this.minGroupSize = minGroupSize;
    }

    @GET
    @Path("/cox")
    @Operation(summary = "Multivariable Cox model of EFS or OS on several factors",
            description = "Fitted per episode on the episodes complete in every term (and the strata factor); the others are "
                    + "counted in droppedForMissing. Each factor is treatment-coded, its first level (as R sorts them) the "
                    + "reference. R's equivalent, on the cohort's episodes d with the endpoint's time and status: "
                    + "fit <- coxph(Surv(time, status) ~ a + b + a:b + strata(s), data = na.omit(d), ties = \"efron\", "
                    + "cluster = patient); summary(fit) (coefficients: coef, se(coef), robust se, z, Pr(>|z|), exp(coef), "
                    + "lower .95, upper .95; tests: likelihood ratio, Wald, score (logrank), robust score); "
                    + "fit$concordance[c(\"concordance\", \"std\")]; cox.zph(fit) (km transform, per term and GLOBAL). "
                    + "A term with a level of fewer episodes than the disclosure threshold (or an interaction with such a "
                    + "combination of levels) has its coefficients withheld, and then so are the whole-model tests, the "
                    + "concordance and the global proportional-hazards test; suppressed says why.")
    @APIResponse(responseCode = "200", description = "The model at the dataset version it reflects",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CoxModelView.class)))
    @APIResponse(responseCode = "400", description = "A parameter has an invalid value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CoxModelView cox(
            @Parameter(description = "EFS or OS", required = true) @QueryParam("endpoint") String endpoint,
            @Parameter(description = "Factors in the model, comma-separated (names as /v1/factors lists them), 1 to 8",
                    required = true) @QueryParam("terms") String terms,
            @Parameter(description = "Interaction of two of the terms, a:b (R's a:b)") @QueryParam("interaction") String interaction,
            @Parameter(description = "Factor whose levels get separate baseline hazards (R's strata()); not one of the terms")
            @QueryParam("strata") String strata,
            @Parameter(description = "patient: standard errors clustered by patient (robust); none (default): model-based")
            @QueryParam("cluster") String cluster,
            @Parameter(description = "Tied event times: efron (default, R's) or breslow") @QueryParam("ties") String ties,
            @BeanParam CohortQuery cohortQuery,
            @Parameter(description = AnalysisParameters.AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = AnalysisParameters.LANDMARK) @QueryParam("landmark") String landmark) {
        Endpoint e = AnalysisParameters.endpoint(endpoint);
        List<String> modelTerms = AnalysisParameters.terms(terms);
        List<String> pair = AnalysisParameters.interaction(interaction, modelTerms);
        String strataBy = AnalysisParameters.strata(strata, modelTerms, "terms");
        boolean clustered = AnalysisParameters.clusterByPatient(cluster);
        Cox.Ties tieHandling = AnalysisParameters.ties(ties);
        CohortFilter cohort = cohortQuery.filter();
        Scope scope = AnalysisParameters.scope(asOf, landmark);
        CoxModel.Spec spec = new CoxModel.Spec(e, modelTerms, pair, strataBy, clustered, tieHandling);
        return CoxModelView.of(CohortView.of(cohort), scope, queries.coxModel(spec, cohort, scope), minGroupSize);
    }
}
