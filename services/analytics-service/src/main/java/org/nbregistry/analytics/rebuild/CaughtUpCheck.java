package org.nbregistry.analytics.rebuild;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Ready once the projection has applied every event that was on both topics when the service started: the consumer
 * group's committed offsets have reached the end offsets taken at start. A rebuild (a fresh database and a fresh
 * consumer group) is thus ready when its replay is done, and a restart once it has applied what arrived while it was
 * down. It stays ready from then on: later events are the live flow, not a catch-up.
 *
 * <p>Offsets are committed a few seconds after the events are applied (the connector's throttled commits), so ready
 * may come that much later than caught up, never earlier.
 */
@Readiness
@ApplicationScoped
public class CaughtUpCheck implements HealthCheck {

    static final String NAME = "projection caught up with the topics";
    private static final Logger LOG = Logger.getLogger(CaughtUpCheck.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Map<String, Object> adminConfig;
    private final String group;
    private final List<String> topics;

    // Guarded by this.
    private Map<TopicPartition, Long> target;
    private boolean caughtUp;

    public CaughtUpCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         @ConfigProperty(name = "registry.analytics.consumer-group") String group,
                         @ConfigProperty(name = "mp.messaging.incoming.episode-events.topic") String episodeTopic,
                         @ConfigProperty(name = "mp.messaging.incoming.treatment-events.topic") String treatmentTopic) {
        // Short timeouts: closing the client waits for its requests, and a broker that is down must not hold the start.
        this.adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "analytics-catch-up-" + group,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_SECONDS * 1000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_SECONDS * 1000);
        this.group = group;
        this.topics = List.of(episodeTopic, treatmentTopic);
    }

    /** The end offsets are taken at start, so that what the service has to catch up with does not grow with live traffic. */
    synchronized void takeTargetOnStart(@Observes StartupEvent started) {
        try (Admin admin = Admin.create(adminConfig)) {
            target = endOffsets(admin);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("end offsets of %s not known yet (%s); taken at the first readiness check", topics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized HealthCheckResponse call() {
        if (caughtUp) {
            return HealthCheckResponse.named(NAME).up().withData("group", group).build();
        }
        try (Admin admin = Admin.create(adminConfig)) {
            if (target == null) {
                target = endOffsets(admin);
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                behind += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
            }
            caughtUp = behind == 0;
            if (caughtUp) {
                LOG.infof("projection caught up with %s (consumer group %s)", topics, group);
            }
            return HealthCheckResponse.named(NAME).status(caughtUp).withData("group", group).withData("eventsBehind", behind).build();
        } catch (ExecutionException | TimeoutException e) {
            return HealthCheckResponse.named(NAME).down().withData("group", group).withData("error", e.toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named(NAME).down().withData("group", group).build();
        }
    }

    private Map<TopicPartition, Long> endOffsets(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
                .stream().flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition()))).toList();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }
}
