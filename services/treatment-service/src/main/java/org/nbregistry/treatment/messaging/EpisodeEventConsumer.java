package org.nbregistry.treatment.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.outbox.Inbox;
import org.nbregistry.treatment.service.EpisodeDirectory;

/** episode-service's domain events, each applied exactly once: the episodes and deaths treatment lines are checked against. */
@ApplicationScoped
public class EpisodeEventConsumer {

    private final EpisodeDirectory directory;
    private final Inbox inbox;

    public EpisodeEventConsumer(EpisodeDirectory directory, Inbox inbox) {
        this.directory = directory;
        this.inbox = inbox;
    }

    @Incoming("episode-events")
    public Uni<Void> consume(String value) {
        return inbox.applyOnce(Topics.EPISODE_EVENTS, value, directory::apply);
    }
}
