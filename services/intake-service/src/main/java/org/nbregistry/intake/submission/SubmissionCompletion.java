package org.nbregistry.intake.submission;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.nbregistry.support.relay.CoalescingDrain;

import java.time.Duration;
import java.time.Instant;

/**
 * Writes a stored submission's effects: the site records it sets and its audit entries, then marks it completed.
 * MongoDB-wire servers make only single documents atomic, so the submission document carries its effects until
 * they are written, and every step can be repeated without changing anything: a site record is written only over an
 * older one, an audit entry's id is derived from the submission. Completion runs right after the insert; a periodic
 * sweep completes the submissions a crash left incomplete. Only a completed submission is published, so an owning
 * service's verdict always finds the site record it updates.
 */
@ApplicationScoped
public class SubmissionCompletion {

    private static final Logger LOG = Logger.getLogger(SubmissionCompletion.class);
    private static final String ADDRESS = "intake.submissions.complete";
    private static final int BATCH_SIZE = 50;

    private final SubmissionStore store;
    private final SiteRecordStore siteRecords;
    private final AuditStore audit;
    private final SubmissionRelay relay;
    private final EventBus bus;
    private final Duration grace;
    private final CoalescingDrain drain = new CoalescingDrain("submission completion", BATCH_SIZE, this::completeBatch,
            this::requestSweep);

    /** @param grace how old an incomplete submission must be before the sweep takes it: younger ones are still being completed */
    public SubmissionCompletion(SubmissionStore store, SiteRecordStore siteRecords, AuditStore audit, SubmissionRelay relay, EventBus bus,
                                @ConfigProperty(name = "registry.intake.completion-grace", defaultValue = "10s") Duration grace) {
        this.store = store;
        this.siteRecords = siteRecords;
        this.audit = audit;
        this.relay = relay;
        this.bus = bus;
        this.grace = grace;
    }

    /** A few round trips whatever the submission's size: one bulk write of site records, one of audit entries. */
    public Uni<Void> complete(SubmissionEffects effects) {
        return siteRecords.saveAllIfNewer(effects.records())
                .chain(() -> audit.append(effects.audit()))
                .chain(() -> store.markCompleted(effects.submissionId()));
    }

    private void requestSweep() {
        bus.send(ADDRESS, "");
    }

    @ConsumeEvent(ADDRESS)
    Uni<Void> onRequest(String ignored) {
        return drain.drain();
    }

    void startTimer(@Observes StartupEvent started, Vertx vertx,
                    @ConfigProperty(name = "registry.intake.completion-sweep-interval", defaultValue = "5s") Duration interval) {
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> requestSweep());
    }

    /** Completes one batch and answers how many it completed; one that fails is logged and left to the next sweep. */
    private Uni<Integer> completeBatch() {
        return store.incomplete(Instant.now().minus(grace), BATCH_SIZE)
                .flatMap(batch -> Multi.createFrom().iterable(batch)
                        .onItem().transformToUniAndConcatenate(effects -> complete(effects)
                                .invoke(() -> relay.requestPublish(effects.submissionId())).replaceWith(1)
                                .onFailure().invoke(failure -> LOG.warnf("submission %s stays incomplete for now: %s",
                                        effects.submissionId(), failure.getMessage()))
                                .onFailure().recoverWithItem(0))
                        .collect().asList())
                .map(done -> done.stream().mapToInt(Integer::intValue).sum());
    }

}
