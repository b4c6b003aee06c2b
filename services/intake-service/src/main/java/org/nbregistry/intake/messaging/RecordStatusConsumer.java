package org.nbregistry.intake.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nbregistry.intake.submission.Submission.Reason;
import org.nbregistry.intake.submission.Submission.Status;
import org.nbregistry.intake.submission.SiteRecordStore;
import org.nbregistry.intake.submission.SubmissionStore;
import org.nbregistry.support.events.EventCodec;

import java.util.List;

/** Shows the owning service's verdict on each record. Setting a status is idempotent, so redelivery is harmless. */
@ApplicationScoped
public class RecordStatusConsumer {

    private static final Logger LOG = Logger.getLogger(RecordStatusConsumer.class);

    record RecordStatus(String submissionId, String site, String recordType, String recordId, Status status, List<Reason> reasons) {
    }

    private final SubmissionStore store;
    private final SiteRecordStore siteRecords;

    public RecordStatusConsumer(SubmissionStore store, SiteRecordStore siteRecords) {
        this.store = store;
        this.siteRecords = siteRecords;
    }

    @Incoming("record-status")
    public Uni<Void> consume(String value) {
        return Uni.createFrom().item(() -> EventCodec.payload(EventCodec.read(value), RecordStatus.class))
                .flatMap(this::show);
    }

    private Uni<Void> show(RecordStatus status) {
        return store.recordVerdict(status.submissionId(), status.recordType(), status.recordId(), status.status(), status.reasons())
                .invoke(found -> {
                    if (!found) {
                        LOG.warnf("verdict for unknown record %s/%s of submission %s ignored", status.recordType(), status.recordId(), status.submissionId());
                    }
                })
                .chain(() -> siteRecords.recordVerdict(status.submissionId(), status.site(), status.recordType(), status.recordId(),
                        status.status(), status.reasons()));
    }
}
