package org.nbregistry.episode.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.episode.service.ClinicalRecordService;
import org.nbregistry.outbox.Inbox;

/** Submitted clinical records, each applied exactly once; poison messages go to intake.clinical-records.dlq. */
@ApplicationScoped
public class ClinicalRecordConsumer {

    private final ClinicalRecordService records;
    private final Inbox inbox;

    public ClinicalRecordConsumer(ClinicalRecordService records, Inbox inbox) {
        this.records = records;
        this.inbox = inbox;
    }

    @Incoming("clinical-records")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.applyBatch(batch, records);
    }
}
