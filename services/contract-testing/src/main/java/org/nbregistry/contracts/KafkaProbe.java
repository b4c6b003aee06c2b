package org.nbregistry.contracts;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * A plain Kafka client for tests: plays the producer or consumer on the other side of a service, and checks
 * every message it reads against the event contract.
 */
public final class KafkaProbe implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    private final EventContracts contracts = EventContracts.load();

    private static final Map<String, KafkaProbe> SHARED = new ConcurrentHashMap<>();

    /**
     * One probe per broker for the whole test JVM, closed when the JVM ends: what a test class needs without opening
     * and closing a producer around every test.
     */
    public static KafkaProbe shared(String bootstrapServers) {
        return SHARED.computeIfAbsent(bootstrapServers, servers -> {
            KafkaProbe probe = new KafkaProbe(servers);
            Runtime.getRuntime().addShutdownHook(new Thread(probe::close, "kafka-probe-close"));
            return probe;
        });
    }

    public KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /** Checks the message against the event contract, sends it and waits for the broker's acknowledgement. */
    public void send(String topic, String key, String value) {
        contracts.assertConforms(topic, key, value);
        sendRaw(topic, key, value);
    }

    /** Sends without checking: for poison messages that must break the contract. */
    public void sendRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    /**
     * Sends all records without waiting for each acknowledgement (so a consumer is likely to poll them together), then
     * waits for all; unchecked like {@link #sendRaw}. Each entry is key → value.
     */
    public void sendAllRaw(String topic, List<Map.Entry<String, String>> records) {
        List<Future<?>> sent = new ArrayList<>();
        records.forEach(r -> sent.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()))));
        producer.flush();
        for (Future<?> ack : sent) {
            try {
                ack.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("send to " + topic + " failed", e.getCause());
            }
        }
    }

    /**
     * Reads the topic from its beginning until {@code enough} holds for the records matching {@code filter}, or
     * the timeout passes; returns the matching records. Every record read is checked against the contract
     * unless the topic is a dead-letter topic (which holds whatever failed).
     */
    public List<ConsumerRecord<String, String>> read(String topic, Predicate<ConsumerRecord<String, String>> filter,
                                                     Predicate<List<ConsumerRecord<String, String>>> enough, Duration timeout) {
        List<ConsumerRecord<String, String>> matching = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline) && !enough.test(matching)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!topic.endsWith(".dlq")) {
                        contracts.assertConforms(topic, record.key(), record.value());
                    }
                    if (filter.test(record)) {
                        matching.add(record);
                    }
                }
            }
        }
        return matching;
    }

    /** Reads for the whole duration: for asserting that something did NOT happen (e.g. no second event). */
    public List<ConsumerRecord<String, String>> readFor(String topic, Predicate<ConsumerRecord<String, String>> filter, Duration duration) {
        return read(topic, filter, records -> false, duration);
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
