package org.nbregistry.analytics.rest;

import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.statistics.AnalysisKey;
import org.nbregistry.analytics.statistics.LiveStatistics.Refreshed;
import org.nbregistry.analytics.statistics.RefreshFeed;
import org.nbregistry.support.problem.Problem;
import org.nbregistry.support.problem.SecurityProblems;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

@Path("/v1/statistics/stream")
@RolesAllowed(Analysts.ROLE)
@SecurityRequirement(name = SecurityProblems.SCHEME)
@APIResponse(responseCode = "401", description = SecurityProblems.UNAUTHORIZED,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = Analysts.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@Tag(name = "Survival")
public class StatisticsStreamResource {

    /**
     * Refreshes a client may fall behind by before its stream is ended; it then reconnects and starts from a new
     * snapshot, which is cheaper than holding an unbounded backlog for a stalled reader. Refreshes are at least
     * registry.analytics.refresh.min-interval (25 ms) apart, so this is half a minute of stall or more.
     */
    static final int CLIENT_BACKLOG = 1024;

    /**
     * One refresh of the statistics.
     *
     * @param changed the analyses whose statistics this refresh recomputed, an endpoint ungrouped (groupBy null) or
     *                grouped by a factor; empty for the snapshot, and when only fields no analysis uses changed
     */
    @Schema(name = "StatisticsChange")
    public record StatisticsChange(long datasetVersion, Instant reflectsChangesUpTo, Instant computedAt, long refreshCount,
                                   List<ChangedAnalysis> changed) {

        static StatisticsChange of(RefreshFeed.Update update) {
            Refreshed r = update.refreshed();
            List<ChangedAnalysis> changed = update.snapshot() ? List.of() : r.changed().stream()
                    .map(ChangedAnalysis::of)
                    .sorted(Comparator.comparing(ChangedAnalysis::endpoint)
                            .thenComparing(ChangedAnalysis::groupBy, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            return new StatisticsChange(r.datasetVersion(), r.reflectsChangesUpTo(), r.computedAt(), r.refreshCount(), changed);
        }
    }

    /** @param groupBy the factor, or null for the endpoint's ungrouped analysis */
    @Schema(name = "ChangedAnalysis")
    public record ChangedAnalysis(String endpoint, String groupBy) {

        static ChangedAnalysis of(AnalysisKey key) {
            return new ChangedAnalysis(key.endpoint().name(), key.factor());
        }
    }

    private final RefreshFeed feed;

    public StatisticsStreamResource(RefreshFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events: one message each time the statistics change",
            description = "The first event, named `snapshot`, is the state when the stream opened; each later event, named "
                    + "`refresh`, is one refresh: the dataset version it reflects and the analyses it recomputed. The event id "
                    + "is the refresh count. Refreshes are coalesced (at least registry.analytics.refresh.min-interval apart), "
                    + "so one message can cover many events. A client that falls far behind is disconnected and should "
                    + "reconnect; it then receives a new snapshot.")
    @APIResponse(responseCode = "200", description = "The event stream; each event's data is a StatisticsChange in JSON",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = StatisticsChange.class)))
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
            RefreshFeed.Subscription subscription = feed.subscribe(update -> emitter.emit(event(sse, update)));
            emitter.onTermination(subscription::close);
        }, CLIENT_BACKLOG);
    }

    private static OutboundSseEvent event(Sse sse, RefreshFeed.Update update) {
        StatisticsChange change = StatisticsChange.of(update);
        return sse.newEventBuilder()
                .name(update.snapshot() ? "snapshot" : "refresh")
                .id(Long.toString(change.refreshCount()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(StatisticsChange.class, change)
                .build();
    }
}
