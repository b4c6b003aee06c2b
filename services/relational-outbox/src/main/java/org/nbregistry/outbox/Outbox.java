package org.nbregistry.outbox;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;


/**
 * The write side of the outbox. {@link #add} must be called inside the transaction that changes the service's
 * state: that is what makes "state changed" and "event will be published" one atomic fact.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRelay relay;

    public Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    /** Queues an event for its topic, keyed by the envelope's subject (the patient pseudonym). */
    public Uni<Void> add(String topic, EventEnvelope envelope) {
        return new OutboxMessage(topic, envelope.subject(), EventCodec.write(envelope)).persist().replaceWithVoid();
    }

    /** Asks the relay to publish now rather than at its next poll; call after the transaction committed. */
    public void publishSoon() {
        relay.requestPublish();
    }
}
