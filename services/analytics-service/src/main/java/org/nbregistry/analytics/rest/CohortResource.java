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
import org.nbregistry.analytics.statistics.AnalystQueries;
import org.nbregistry.analytics.statistics.CohortFilter;
import org.nbregistry.analytics.statistics.CohortSummary;
import org.nbregistry.analytics.statistics.Disclosure.DisclosedCount;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

@Path("/v1/cohort")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cohort")
public class CohortResource {

    /** The study's descriptive table of a cohort, at the dataset version it reflects. */
    @Schema(name = "CohortSummary")
    public record CohortSummaryView(CohortView cohort,
                                    @Schema(description = "Data cut-off applied (clinical dates on or before it), null for none")
                                    LocalDate asOf, long datasetVersion, Instant reflectsChangesUpTo, int minGroupSize,
                                    DisclosedCount patients, DisclosedCount episodes, Double meanEpisodesPerPatient,
                                    List<DisclosedCount> episodesPerPatient, List<DisclosedCount> episodeType,
                                    List<DisclosedCount> episodeOrder, List<DisclosedCount> mycnStatus,
                                    List<CohortSummary.MetastaticSite> metastaticSites, List<DisclosedCount> lymphNodeMetastases,
                                    List<DisclosedCount> biopsy, List<DisclosedCount> molecularProfiling,
                                    List<CohortSummary.TreatmentUse> treatmentUse, List<DisclosedCount> trialEnrolment,
                                    List<DisclosedCount> bestResponse, CohortSummary.Rate responseRate,
                                    CohortSummary.Rate diseaseControlRate, DisclosedCount secondMalignancies,
                                    List<CohortSummary.SiteCounts> sites) {

        static CohortSummaryView of(CohortView cohort, LocalDate asOf, AnalystQueries.SummaryAnswer answer, int minGroupSize) {
            CohortSummary s = answer.summary();
            return new CohortSummaryView(cohort, asOf, answer.datasetVersion(), answer.reflectsChangesUpTo(), minGroupSize, s.patients(),
                    s.episodes(), s.meanEpisodesPerPatient(), s.episodesPerPatient(), s.episodeType(), s.episodeOrder(), s.mycnStatus(),
                    s.metastaticSites(), s.lymphNodeMetastases(), s.biopsy(), s.molecularProfiling(), s.treatmentUse(),
                    s.trialEnrolment(), s.bestResponse(), s.responseRate(), s.diseaseControlRate(), s.secondMalignancies(), s.sites());
        }
    }

    private final AnalystQueries queries;
    private final int minGroupSize;

    public CohortResource(AnalystQueries queries,
                          @ConfigProperty(name = "registry.analytics.disclosure.min-group-size", defaultValue = "5") int minGroupSize) {
        this.queries = queries;
        this.minGroupSize = minGroupSize;
    }

    @GET
    @Path("/summary")
    @Operation(summary = "The cohort's descriptive table: patients, episodes, episodes per patient, episode type and order, "
            + "MYCN, metastatic sites, biopsy and profiling, treatment-category use, trial enrolment, best response with the "
            + "response and disease-control rates, subsequent malignancies and counts per site",
            description = "Counts from 1 to below the disclosure threshold are withheld with the reason, and where one withheld "
                    + "count could be worked out from the total, the next smallest is withheld too. Percentages are of the "
                    + "cohort's episodes (of its patients for episodes per patient, patients per site and subsequent "
                    + "malignancies; of the assessed episodes for the rates). The response rate counts CR and PR, the "
                    + "disease-control rate CR, PR, MR and SD (INRC 2017 best overall response). Episodes whose events do "
                    + "not say are counted as unknown, never as no.")
    @APIResponse(responseCode = "200", description = "The table at the dataset version it reflects",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohortSummaryView.class)))
    @APIResponse(responseCode = "400", description = "A parameter has an invalid value",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CohortSummaryView summary(
            @BeanParam CohortQuery cohortQuery,
            @Parameter(description = AnalysisParameters.AS_OF) @QueryParam("asOf") String asOf) {
        CohortFilter cohort = cohortQuery.filter();
        LocalDate cutoff = AnalysisParameters.asOf(asOf);
        return CohortSummaryView.of(CohortView.of(cohort), cutoff, queries.summary(cohort, cutoff, minGroupSize), minGroupSize);
    }
}
