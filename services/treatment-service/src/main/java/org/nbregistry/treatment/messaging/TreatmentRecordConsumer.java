package org.nbregistry.treatment.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.outbox.Inbox;
import org.nbregistry.treatment.service.TreatmentRecordService;

/** Submitted treatment records, each applied exactly once; poison messages go to intake.treatment-records.dlq. */
@ApplicationScoped
public class TreatmentRecordConsumer {

    private final TreatmentRecordService records;
    private final Inbox inbox;

    public TreatmentRecordConsumer(TreatmentRecordService records, Inbox inbox) {
        this.records = records;
        this.inbox = inbox;
    }

    @Incoming("treatment-records")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.applyBatch(batch, records);
    }
}
