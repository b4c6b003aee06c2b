package org.nbregistry.episode.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.episode.service.TreatmentLines;
import org.nbregistry.outbox.Inbox;

/** treatment-service's domain events, each applied exactly once: the lines a death or an episode change is checked against. */
@ApplicationScoped
public class TreatmentEventConsumer {

    private final TreatmentLines lines;
    private final Inbox inbox;

    public TreatmentEventConsumer(TreatmentLines lines, Inbox inbox) {
        this.lines = lines;
        this.inbox = inbox;
    }

    @Incoming("treatment-events")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.applyBatch(batch, lines::apply);
    }
}
