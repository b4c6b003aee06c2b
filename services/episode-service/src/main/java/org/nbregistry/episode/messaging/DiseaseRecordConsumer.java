package org.nbregistry.episode.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.nbregistry.episode.service.DiseaseRecordService;
import org.nbregistry.outbox.Inbox;

/** Submitted episodes and follow-ups, each applied exactly once; poison messages go to intake.disease-records.dlq. */
@ApplicationScoped
public class DiseaseRecordConsumer {

    private final DiseaseRecordService records;
    private final Inbox inbox;

    public DiseaseRecordConsumer(DiseaseRecordService records, Inbox inbox) {
        this.records = records;
        this.inbox = inbox;
    }

    @Incoming("disease-records")
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.applyBatch(batch, records);
    }
}
