package org.nbregistry.local.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a probe death's time goes between intake's 202 and the refresh that carries it, read from the broker afterwards:
 * the create timestamp the producer gave the death's record on intake's topic (set when intake's relay sends it) and the
 * first event episode-service derived from it (set when episode-service's relay sends it). Every process runs on this
 * machine, so the producers' clocks are the bench's. A record's timestamp is taken before its acknowledgement and the
 * consumer's fetch, so each hop's broker round trip counts in the stage after it.
 */
final class ProbeStages {

    static final String INTAKE_TOPIC = "intake.clinical-records";
    static final String EPISODE_TOPIC = "registry.episode-events";

    /** The stages in order, as the bench prints them. */
    static final List<String> STAGES = List.of(
            "202 → on " + INTAKE_TOPIC + " (intake's relay)",
            "→ on " + EPISODE_TOPIC + " (episode-service: fetch, apply, commit, relay)",
            "→ refresh on the stream (analytics: ack, fetch, apply, refresh, SSE)");

    /** A probe as the bench saw it, in epoch milliseconds of this machine's clock. */
    record Probe(String pseudonym, long sentMillis, long answeredMillis, long arrivedMillis) {
    }

    /** A record of the probes' topics: which topic, its key and its create timestamp. */
    record Stamp(String topic, String key, long timestampMillis) {
    }

    private static final long NANOS_ORIGIN = System.nanoTime();
    private static final long MILLIS_ORIGIN = System.currentTimeMillis();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long READ_TIMEOUT_NANOS = 60_000_000_000L;

    private ProbeStages() {
    }

    /** The epoch milliseconds of a {@link System#nanoTime()} reading of this JVM. */
    static long epochMillis(long nanos) {
        return MILLIS_ORIGIN + Math.floorDiv(nanos - NANOS_ORIGIN, 1_000_000L);
    }

    /**
     * Milliseconds per stage (in {@link #STAGES} order) for each probe whose two records were found. A probe's record on
     * a topic is the first with its pseudonym as key stamped no earlier than its PUT was sent: its patient's earlier
     * records were all reflected before the probes started, and the background load has other patients.
     */
    static Map<String, List<Double>> of(List<Probe> probes, List<Stamp> stamps) {
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        STAGES.forEach(stage -> stages.put(stage, new ArrayList<>()));
        for (Probe probe : probes) {
            Long intake = first(stamps, INTAKE_TOPIC, probe);
            Long episode = first(stamps, EPISODE_TOPIC, probe);
            if (intake == null || episode == null) {
                continue;
            }
            stages.get(STAGES.get(0)).add((double) (intake - probe.answeredMillis()));
            stages.get(STAGES.get(1)).add((double) (episode - intake));
            stages.get(STAGES.get(2)).add((double) (probe.arrivedMillis() - episode));
        }
        return stages;
    }

    private static Long first(List<Stamp> stamps, String topic, Probe probe) {
        return stamps.stream().filter(s -> s.topic().equals(topic) && s.key().equals(probe.pseudonym())
                        && s.timestampMillis() >= probe.sentMillis())
                .map(Stamp::timestampMillis).min(Long::compare).orElse(null);
    }

    /** The records of the probes' patients on both topics from {@code fromMillis} to the current end of each partition. */
    static List<Stamp> read(String bootstrapServers, Set<String> pseudonyms, long fromMillis) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "platform-bench-stages",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<Stamp> stamps = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(INTAKE_TOPIC, EPISODE_TOPIC)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> fromMillis)));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp at = start.get(partition);
                consumer.seek(partition, at == null ? end.get(partition) : at.offset());
            }
            long deadline = System.nanoTime() + READ_TIMEOUT_NANOS;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null && pseudonyms.contains(record.key())) {
                        stamps.add(new Stamp(record.topic(), record.key(), record.timestamp()));
                    }
                }
            }
        }
        return stamps;
    }
}
