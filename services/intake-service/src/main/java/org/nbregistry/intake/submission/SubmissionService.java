package org.nbregistry.intake.submission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.nbregistry.intake.submission.Submission.Status;
import org.nbregistry.intake.submission.Submission.SubmittedRecord;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Accepts validated records as one submission: stored first, then published by the relay. */
@ApplicationScoped
public class SubmissionService {

    public static final String SOURCE = "intake-service";

    /** A validated record on its way in: what it is, which topic carries it, and its payload without submissionId. */
    public record IncomingRecord(String recordType, String eventType, String topic, String recordId, String patientPseudonym,
                                 Object payload) {
    }

    private final SubmissionStore store;
    private final SubmissionRelay relay;

    public SubmissionService(SubmissionStore store, SubmissionRelay relay) {
        this.store = store;
        this.relay = relay;
    }

    public Uni<Submission> accept(String site, List<IncomingRecord> incoming) {
        String submissionId = UUID.randomUUID().toString();
        List<SubmittedRecord> records = incoming.stream().map(record -> {
            ObjectNode data = (ObjectNode) EventCodec.toTree(record.payload());
            data.put("submissionId", submissionId);
            String event = EventCodec.write(EventEnvelope.of(record.eventType(), SOURCE, record.patientPseudonym(), submissionId, data));
            return new SubmittedRecord(record.recordType(), record.recordId(), record.patientPseudonym(), record.topic(), event,
                    Status.ACCEPTED, List.of());
        }).toList();
        // Mongo stores milliseconds; truncating here keeps the answer equal to what a later read returns.
        Submission submission = new Submission(submissionId, site, Instant.now().truncatedTo(ChronoUnit.MILLIS), records, false);
        return store.insert(submission).invoke(relay::requestPublish).replaceWith(submission);
    }

    public Uni<Submission> find(String id) {
        return store.find(id);
    }
}
