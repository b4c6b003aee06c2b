package org.nbregistry.outbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Moves a consumed record that can never be processed to {@code <topic>.dlq}, with its key, its headers and the
 * headers SmallRye's dead-letter-queue failure strategy writes (reason, exception class, original topic, partition
 * and offset), so a dead letter looks the same whichever path wrote it. The answer completes only when Kafka
 * acknowledged the dead letter (acks=all); a send that fails is retried, never dropped, so the record's offset is
 * committed only once its dead letter is safe.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final MutinyEmitter<String> emitter;
    private final InboxMetrics metrics;

    public DeadLetters(@Channel("dead-letters") MutinyEmitter<String> emitter, InboxMetrics metrics) {
        this.emitter = emitter;
        this.metrics = metrics;
    }

    public Uni<Void> send(KafkaRecord<String, String> record, Throwable reason) {
        IncomingKafkaRecordMetadata<?, ?> origin = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        String topic = origin.getTopic() + ".dlq";
        Headers headers = new RecordHeaders(record.getHeaders().toArray());
        add(headers, "dead-letter-exception-class-name", reason.getClass().getName());
        add(headers, "dead-letter-reason", message(reason));
        if (reason.getCause() != null) {
            add(headers, "dead-letter-cause-class-name", reason.getCause().getClass().getName());
            add(headers, "dead-letter-cause", message(reason.getCause()));
        }
        add(headers, "dead-letter-topic", origin.getTopic());
        add(headers, "dead-letter-partition", Integer.toString(origin.getPartition()));
        add(headers, "dead-letter-offset", Long.toString(origin.getOffset()));
        Message<String> letter = Message.of(record.getPayload()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(record.getKey()).withHeaders(headers).build());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(letter))
                .onFailure().invoke(failure -> LOG.warnf("dead letter to %s not yet acknowledged, retrying: %s", topic, failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(() -> {
                    LOG.warnf("record %s-%d@%d moved to %s: %s", origin.getTopic(), origin.getPartition(), origin.getOffset(), topic, message(reason));
                    metrics.deadLettered(origin.getTopic());
                });
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
