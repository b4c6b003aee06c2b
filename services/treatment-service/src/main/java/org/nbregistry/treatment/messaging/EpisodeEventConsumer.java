package org.nbregistry.treatment.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
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
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.applyBatch(batch, directory);
    }
}
