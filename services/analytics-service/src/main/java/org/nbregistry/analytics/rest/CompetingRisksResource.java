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
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.time.LocalDate;

@Path("/v1/competing-risks")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survival")
public class CompetingRisksResource {

    private final AnalystQueries queries;
    private final int minGroupSize;

    public CompetingRisksResource(AnalystQueries queries,
                                  @ConfigProperty(name = "registry.analytics.disclosure.min-group-size", defaultValue = "5") int minGroupSize) {
        this.queries = queries;
        this.minGroupSize = minGroupSize;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, Representations.CSV})
    @Operation(summary = "Competing risks of event-free survival: cumulative incidence of progression vs death without progression, "
            + "optionally by the levels of a factor with Gray's test",
            description = "Time is EFS in days from the episode date; what ended it is the cause: progression (the patient's next "
                    + "episode, a relapse or progression), death without progression, or a second malignancy; otherwise the "
                    + "episode is censored. Per cause the Aalen–Johansen cumulative incidence with its standard error "
                    + "(infinitesimal jackknife) and pointwise limits (R: survfit(Surv(t, factor(cause)) ~ 1)), and with a "
                    + "grouping Gray's test per cause (cmprsk::cuminc). Groups with fewer episodes than the disclosure "
                    + "threshold are reported as suppressed, and when only one is, the next smallest too (and with a single "
                    + "group the count of excluded episodes), so that no suppressed count can be worked out by subtraction; "
                    + "tests involving a withheld group are withheld. format=csv is the incidence table in long form (group "
                    + "'all', then each group; one row per group, cause and day). Always computed from scratch over the records. "
                    + "R's equivalents: survfit(Surv(time, factor(cause, c(\"censored\", causes))) ~ g, d) (pstate, std.err, "
                    + "lower, upper per cause) and cmprsk::cuminc(time, cause, group = g, cencode = \"censored\")$Tests.")
    @APIResponse(responseCode = "200", description = "The analysis at the dataset version it reflects", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CompetingRisksView.class)),
            @Content(mediaType = Representations.CSV, schema = @Schema(type = SchemaType.STRING,
                    description = "Columns: " + CsvExport.COMPETING_RISKS_HEADER))})
    @APIResponse(responseCode = "400", description = "A parameter has an invalid value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response competingRisks(
            @Parameter(description = "Factor whose levels are compared (see /v1/factors)") @QueryParam("groupBy") String groupBy,
            @BeanParam CohortQuery cohortQuery,
            @Parameter(description = "Confidence interval transform: log (default, as R's survfit here), log-log or plain") @QueryParam("confType") String confType,
            @Parameter(description = "Confidence level, default 0.95") @QueryParam("confLevel") String confLevel,
            @Parameter(description = "Days at which the incidence is estimated, comma-separated; default 365,730,1095") @QueryParam("times") String times,
            @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
            @Parameter(description = AnalysisParameters.AS_OF) @QueryParam("asOf") String asOf) {
        String factor = AnalysisParameters.factor("groupBy", groupBy);
        CohortFilter cohort = cohortQuery.filter();
        ConfType type = AnalysisParameters.confType(confType);
        double level = AnalysisParameters.confLevel(confLevel);
        double[] at = AnalysisParameters.times(times);
        AnalysisParameters.Format as = AnalysisParameters.format(format);
        if (as == AnalysisParameters.Format.SVG) {
            throw new InvalidParameterException("format", "enum", "format 'svg' is not offered here: one of json, csv");
        }
        LocalDate cutoff = AnalysisParameters.asOf(asOf);
        CompetingRisksView view = CompetingRisksView.of(factor, CohortView.of(cohort), cutoff,
                queries.competingRisks(factor, cohort, cutoff, type, level), type, level, at, minGroupSize);
        return Representations.respond(as, view, () -> {
            throw new IllegalStateException("no figure of competing risks");
        }, () -> CsvExport.competingRisks(view), "competing-risks" + (factor == null ? "" : "-by-" + factor) + "-v" + view.datasetVersion());
    }
}
