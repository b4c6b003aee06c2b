package org.nbregistry.analytics.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.RefreshFeed;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.time.Instant;

@Path("/v1/statistics/status")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survival")
public class StatusResource {

    /**
     * @param datasetVersion     changes to the analysis dataset applied so far
     * @param refreshedVersion   the dataset version the served statistics reflect
     * @param refreshCount       refreshes since start; far fewer than changes when events arrive in bursts
     * @param streamClients      clients connected to /v1/statistics/stream now
     */
    @Schema(name = "StatisticsStatus")
    public record StatusView(long datasetVersion, long refreshedVersion, Instant reflectsChangesUpTo, Instant computedAt,
                             long refreshCount, int streamClients) {
    }

    private final LiveStatistics statistics;
    private final RefreshFeed feed;

    public StatusResource(LiveStatistics statistics, RefreshFeed feed) {
        this.statistics = statistics;
        this.feed = feed;
    }

    @GET
    @Operation(summary = "How current the served statistics are: dataset version applied, version refreshed, refreshes made, stream clients")
    public StatusView status() {
        LiveStatistics.Refreshed current = statistics.current();
        return new StatusView(statistics.datasetVersion(), current.datasetVersion(), current.reflectsChangesUpTo(),
                current.computedAt(), current.refreshCount(), feed.subscriberCount());
    }
}
