package org.nbregistry.local.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Lag of every consumer group on the platform's broker: for each partition of each topic the group has committed on,
 * the latest offset minus the group's committed one (0 when it committed nothing there yet).
 */
final class ConsumerLag implements AutoCloseable {

    /** analytics-service's group (registry.analytics.consumer-group): everything is reflected once it has no lag. */
    static final String ANALYTICS_GROUP = "analytics-service";
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "platform-bench",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Lag by group, groups in name order. */
    Map<String, Long> sample() throws InterruptedException {
        Set<String> groups = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
                .map(GroupListing::groupId).collect(Collectors.toSet());
        Map<String, Long> lags = new TreeMap<>();
        for (String group : groups) {
            lags.put(group, of(group));
        }
        return lags;
    }

    long of(String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Set<String> topics = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
        if (topics.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        get(admin.describeTopics(topics).allTopicNames()).values().forEach(topic -> topic.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
        long lag = 0;
        for (var end : get(admin.listOffsets(latest).all()).entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += Math.max(0, end.getValue().offset() - (offset == null ? 0 : offset.offset()));
        }
        return lag;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
