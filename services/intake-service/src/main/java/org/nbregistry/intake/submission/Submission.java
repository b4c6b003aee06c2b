package org.nbregistry.intake.submission;

import java.time.Instant;
import java.util.List;

/**
 * One submission as stored: the records a site sent together, each with the event that carries it to its
 * owning service and its status. `published` flips once every record's event was acknowledged by Kafka;
 * records and publish state live in one document, so they change atomically. `traceParent` is the W3C trace context
 * of the request that made it (null while tracing is off): the relay puts it on every record it sends, so the owning
 * services continue the request's trace however late the relay runs.
 */
public record Submission(String id, String site, Instant receivedAt, List<SubmittedRecord> records, boolean published,
                         String traceParent) {

    public enum Status { ACCEPTED, APPLIED, REJECTED }

    public record SubmittedRecord(String recordType, String recordId, String patientPseudonym, String event,
                                  Status status, List<Reason> reasons) {
    }

    public record Reason(String field, String rule, String message) {
    }
}
