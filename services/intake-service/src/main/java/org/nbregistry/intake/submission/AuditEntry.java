package org.nbregistry.intake.submission;

import org.bson.Document;

import java.time.Instant;

/**
 * One accepted change of a site's record, appended and never changed: who made it, when, what the record was
 * before and what it became, and the submission that carries it to the owning service (whose verdict it shows).
 *
 * @param site   whose record it is: the site of the caller's token
 * @param actor  who made the change: the subject of the caller's token
 * @param before the content before the change; null when the change created the record
 * @param after  the content after the change; null when the change withdrew the record
 * @param bundle the FHIR Bundle the change came in (its identifier, else its id); null for the JSON routes
 */
public record AuditEntry(String id, String site, String actor, Instant at, String submissionId, String recordType, String recordId,
                         String patientPseudonym, Change change, Document before, Document after, String bundle) {

    public enum Change { CREATED, CORRECTED, WITHDRAWN }
}
