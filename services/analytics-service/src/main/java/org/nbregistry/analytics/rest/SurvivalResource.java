package org.nbregistry.analytics.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.nbregistry.analytics.statistics.SurvivalState;

@Path("/v1/survival")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Survival")
public class SurvivalResource {

    private final SurvivalState state;

    public SurvivalResource(SurvivalState state) {
        this.state = state;
    }

    @GET
    @Path("/os")
    @Operation(summary = "Overall survival (Kaplan–Meier) of every episode in the registry")
    public SurvivalView overallSurvival() {
        var snapshot = state.overallSurvival();
        return SurvivalView.of("OS", snapshot.datasetVersion(), snapshot.reflectsChangesUpTo(), snapshot.value());
    }
}
