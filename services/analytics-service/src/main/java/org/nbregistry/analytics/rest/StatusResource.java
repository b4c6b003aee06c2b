package org.nbregistry.analytics.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.analytics.statistics.RefreshFeed;

import java.time.Instant;

@Path("/v1/statistics/status")
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
