package org.nbregistry.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** The W3C trace context of what caused the event (null while tracing is off); sent as the traceparent header. */
    @Column(name = "trace_parent")
    public String traceParent;

    protected OutboxMessage() {
    }

    OutboxMessage(String topic, String messageKey, String payload, String traceParent) {
        this.topic = topic;
        this.messageKey = messageKey;
        this.payload = payload;
        this.traceParent = traceParent;
        this.createdAt = Instant.now();
    }
}
