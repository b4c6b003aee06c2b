package org.nbregistry.intake.submission;

import java.time.Instant;
import java.util.List;

/**
 * One submission as stored: the records a site sent together, each with the event that carries it to its
 * owning service and its status. `published` flips once every record's event was acknowledged by Kafka;
 * records and publish state live in one document, so they change atomically.
 */
public record Submission(String id, String site, Instant receivedAt, List<SubmittedRecord> records, boolean published) {

    public enum Status { ACCEPTED, APPLIED, REJECTED }

    public record SubmittedRecord(String recordType, String recordId, String patientPseudonym, String topic, String event,
                                  Status status, List<Reason> reasons) {
    }

    public record Reason(String field, String rule, String message) {
    }
}
