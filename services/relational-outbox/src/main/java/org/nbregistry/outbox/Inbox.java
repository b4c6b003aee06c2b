package org.nbregistry.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies each consumed message exactly once: its id, its effect on the service's state and the events the
 * effect queues in the outbox commit in one transaction, so a redelivery finds the id and changes nothing.
 * Transient failures (database, lock conflicts) are retried; a message that can never be processed fails the
 * returned Uni, and the channel's dead-letter-queue failure strategy moves it to `<topic>.dlq`.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final Outbox outbox;

    public Inbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> applyOnce(String topic, String value, Function<EventEnvelope, Uni<Void>> effect) {
        return Uni.createFrom().item(() -> EventCodec.read(value))
                .invoke(envelope -> LOG.debugf("applying %s %s", envelope.type(), envelope.id()))
                .flatMap(envelope -> Panache.withTransaction(() -> firstDelivery(envelope.id(), topic)
                        .flatMap(first -> first ? effect.apply(envelope) : Uni.createFrom().voidItem()))
                        .invoke(() -> LOG.debugf("applied %s %s", envelope.type(), envelope.id())))
                .onFailure().invoke(failure -> LOG.warnf("message on %s failed: %s", topic, failure.toString()))
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                .invoke(outbox::publishSoon);
    }

    private Uni<Boolean> firstDelivery(UUID messageId, String topic) {
        return Panache.getSession().flatMap(session -> session
                        .createNativeQuery("insert into processed_message (message_id, topic) values (:id, :topic) on conflict do nothing")
                        .setParameter("id", messageId)
                        .setParameter("topic", topic)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
