package org.nbregistry.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.tracing.TraceParent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;


/**
 * The write side of the outbox. {@link #add} must be called inside the transaction that changes the service's
 * state: that is what makes "state changed" and "event will be published" one atomic fact. Inside
 * {@link #collecting} (the inbox's transactions) rows are gathered and written in one statement at the end, in the
 * order they were added, so the relay publishes them in that order.
 */
@ApplicationScoped
public class Outbox {

    private static final String PENDING = Outbox.class.getName() + ".pending";
    private static final String CAUSE = Outbox.class.getName() + ".cause";
    private static final String INSERT_ALL = """
            insert into outbox_message (topic, message_key, payload, trace_parent)
            select topic, message_key, payload, trace_parent
            from unnest(cast(:topics as text[]), cast(:keys as text[]), cast(:payloads as text[]), cast(:traces as text[]))
                with ordinality as m(topic, message_key, payload, trace_parent, n)
            order by n""";

    private final OutboxRelay relay;

    public Outbox(OutboxRelay relay) {
        this.relay = relay;
    }

    /**
     * Queues an event for its topic, keyed by the envelope's subject (the patient pseudonym), with the trace context of
     * what caused it: the consumed record the inbox is applying, else the current span (a request).
     */
    public Uni<Void> add(String topic, EventEnvelope envelope) {
        boolean local = VertxContext.isOnDuplicatedContext();
        String cause = local ? ContextLocals.<String>get(CAUSE).orElseGet(TraceParent::current) : TraceParent.current();
        OutboxMessage message = new OutboxMessage(topic, envelope.subject(), EventCodec.write(envelope), cause);
        List<OutboxMessage> pending = local ? ContextLocals.<List<OutboxMessage>>get(PENDING).orElse(null) : null;
        if (pending != null) {
            pending.add(message);
            return Uni.createFrom().voidItem();
        }
        return message.persist().replaceWithVoid();
    }

    /**
     * Runs {@code work} (inside a transaction, on its Vert.x context) with the rows it adds gathered, then writes
     * them with one statement. Nothing is written if the work fails.
     */
    Uni<Void> collecting(Supplier<Uni<Void>> work) {
        List<OutboxMessage> pending = new ArrayList<>();
        ContextLocals.put(PENDING, pending);
        return Uni.createFrom().deferred(work::get)
                .eventually(() -> {
                    ContextLocals.remove(PENDING);
                    ContextLocals.remove(CAUSE);
                })
                .chain(() -> insertAll(pending));
    }

    /** Inside {@link #collecting}: the events added from now on were caused by the record with this trace context. */
    void causedBy(String traceParent) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return;
        }
        if (traceParent == null) {
            ContextLocals.remove(CAUSE);
        } else {
            ContextLocals.put(CAUSE, traceParent);
        }
    }

    private static Uni<Void> insertAll(List<OutboxMessage> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(INSERT_ALL)
                        .setParameter("topics", rows.stream().map(m -> m.topic).toArray(String[]::new))
                        .setParameter("keys", rows.stream().map(m -> m.messageKey).toArray(String[]::new))
                        .setParameter("payloads", rows.stream().map(m -> m.payload).toArray(String[]::new))
                        .setParameter("traces", rows.stream().map(m -> m.traceParent).toArray(String[]::new))
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Asks the relay to publish now rather than at its next poll; call after the transaction committed. */
    public void publishSoon() {
        relay.requestPublish();
    }
}
