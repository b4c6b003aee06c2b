package org.nbregistry.intake.submission;

import java.util.List;

/**
 * What accepting a submission changes besides the submission itself: the site records it sets and the audit entries
 * it appends. Stored in the submission document until they are written, so a crash between the writes loses nothing.
 */
public record SubmissionEffects(String submissionId, List<SiteRecordState> records, List<AuditEntry> audit) {
}
