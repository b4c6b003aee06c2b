package org.nbregistry.intake.submission;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;
import org.nbregistry.intake.submission.Submission.SubmittedRecord;
import org.nbregistry.support.relay.CoalescingDrain;
import org.nbregistry.support.tracing.TraceParent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the records of completed submissions (site records and audit entries written) in the order they completed, and marks them published only after
 * Kafka acknowledged all of their records (acks=all). A crash in between re-sends the same events with the same ids,
 * which the owning service skips. Each replica queues the submissions it completes and drains the queue in batches,
 * one drain at a time; a sweep adds what a crash, a restart or another replica's crash left unpublished, so the
 * relay never has to search the whole collection to find its work.
 */
@ApplicationScoped
public class SubmissionRelay {

    private static final Logger LOG = Logger.getLogger(SubmissionRelay.class);
    private static final String ADDRESS = "intake.submissions.publish";
    static final int BATCH_SIZE = 100;
    /** Records sent before awaiting their acknowledgements; well within the emitter's buffer. */
    static final int MAX_RECORDS = 2000;

    private final SubmissionStore store;
    private final MutinyEmitter<String> emitter;
    private final EventBus bus;
    private final Duration sweepGrace;
    /** Submission ids waiting to be published, in the order they were stored. */
    private final Set<String> queued = new LinkedHashSet<>();
    private final CoalescingDrain drain = new CoalescingDrain("submission relay", BATCH_SIZE, this::publishBatch,
            this::requestPublish);

    /** @param sweepGrace how old an unpublished submission must be before the sweep takes it from the replica that stored it */
    public SubmissionRelay(SubmissionStore store,
                           @Channel("records") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<String> emitter,
                           EventBus bus,
                           @ConfigProperty(name = "registry.intake.relay-sweep-grace", defaultValue = "10s") Duration sweepGrace,
                           MeterRegistry registry) {
        this.store = store;
        this.emitter = emitter;
        this.bus = bus;
        this.sweepGrace = sweepGrace;
        Gauge.builder("registry.intake.relay.queued", queued, q -> {
                    synchronized (q) {
                        return q.size();
                    }
                })
                .description("Completed submissions this replica queued for the relay and Kafka has not yet acknowledged (the outbox backlog)")
                .register(registry);
    }

    /** Queues a completed submission and asks for a drain. */
    public void requestPublish(Submission completed) {
        requestPublish(completed.id());
    }

    public void requestPublish(String completedSubmissionId) {
        enqueue(List.of(completedSubmissionId));
        requestPublish();
    }

    private void requestPublish() {
        bus.send(ADDRESS, "");
    }

    private void enqueue(List<String> ids) {
        synchronized (queued) {
            queued.addAll(ids);
        }
    }

    @ConsumeEvent(ADDRESS)
    Uni<Void> onRequest(String ignored) {
        return drain.drain();
    }

    /**
     * A timer retries the queue every interval (a drain that failed while the broker was away leaves it as it was), and
     * a slower sweep, also right at start, queues what no request queued. (Timers rather than @Scheduled: a scheduled
     * run that failed while the channel was still connecting was seen to block every later run.)
     */
    void startTimers(@Observes StartupEvent started, Vertx vertx,
                     @ConfigProperty(name = "registry.intake.relay-poll-interval", defaultValue = "1s") Duration interval,
                     @ConfigProperty(name = "registry.intake.relay-sweep-interval", defaultValue = "10s") Duration sweepInterval) {
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> requestPublish());
        vertx.setPeriodic(0, sweepInterval.toMillis(), id -> sweep().subscribe().with(ignored -> { }, failure ->
                LOG.warnf("relay sweep will retry: %s", failure.getMessage())));
    }

    Uni<Void> sweep() {
        return store.unpublishedIds(Instant.now().minus(sweepGrace)).invoke(ids -> {
            if (!ids.isEmpty()) {
                enqueue(ids);
                requestPublish();
            }
        }).replaceWithVoid();
    }

    /**
     * Publishes the queue's head, up to {@link #MAX_RECORDS} records (at least one submission): every record sent in
     * order, then all acknowledgements awaited, then all marked published at once. Answers {@link #BATCH_SIZE} while
     * the queue holds more, so the drain goes on.
     */
    private Uni<Integer> publishBatch() {
        List<String> head;
        synchronized (queued) {
            head = queued.stream().limit(BATCH_SIZE).toList();
        }
        if (head.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return store.findAll(head).flatMap(found -> {
            Map<String, Submission> byId = found.stream().collect(Collectors.toMap(Submission::id, s -> s));
            List<Uni<Void>> acks = new ArrayList<>();
            List<String> taken = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            for (String id : head) {
                Submission submission = byId.get(id);
                boolean unpublished = submission != null && !submission.published();
                if (unpublished && !acks.isEmpty() && acks.size() + submission.records().size() > MAX_RECORDS) {
                    break;
                }
                taken.add(id);
                if (unpublished) {
                    submission.records().forEach(record -> acks.add(send(record, submission.traceParent())));
                    sent.add(id);
                }
            }
            Uni<Void> published = acks.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(acks).andFailFast().flatMap(done -> store.markPublished(sent));
            return published.map(done -> {
                synchronized (queued) {
                    taken.forEach(queued::remove);
                    return queued.isEmpty() ? taken.size() % BATCH_SIZE : BATCH_SIZE;
                }
            });
        });
    }

    /**
     * Sends a record, keyed by its patient, on the channel's one topic, with the trace context of the request that
     * submitted it (no header while tracing is off).
     */
    private Uni<Void> send(SubmittedRecord record, String traceParent) {
        Headers headers = new RecordHeaders();
        if (traceParent != null) {
            headers.add(TraceParent.HEADER, traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return emitter.sendMessage(Message.of(record.event()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.patientPseudonym())
                .withHeaders(headers)
                .build()));
    }
}
