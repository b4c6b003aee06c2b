package org.nbregistry.analytics.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.analytics.projection.Projector;
import org.nbregistry.support.events.EventCodec;

/** Domain events of episode- and treatment-service; poison messages go to `<topic>.dlq`. */
@ApplicationScoped
public class RegistryEventConsumer {

    private final Projector projector;

    public RegistryEventConsumer(Projector projector) {
        this.projector = projector;
    }

    @Incoming("episode-events")
    public Uni<Void> episodeEvent(String value) {
        return Uni.createFrom().item(() -> EventCodec.read(value)).flatMap(projector::apply);
    }

    @Incoming("treatment-events")
    public Uni<Void> treatmentEvent(String value) {
        return Uni.createFrom().item(() -> EventCodec.read(value)).flatMap(projector::apply);
    }
}
