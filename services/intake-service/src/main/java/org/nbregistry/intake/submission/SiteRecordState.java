package org.nbregistry.intake.submission;

import org.bson.Document;
import org.nbregistry.intake.submission.Submission.Reason;
import org.nbregistry.intake.submission.Submission.Status;

import java.time.Instant;
import java.util.List;

/**
 * A site's record as intake last received it: its content, the hash that makes a repeated PUT a no-op, and the
 * status of the latest submission that touched it (a correction or a withdrawal).
 */
public record SiteRecordState(String site, String recordType, String recordId, String patientPseudonym, Document content,
                              String contentHash, Action lastAction, String submissionId, Status status, List<Reason> reasons,
                              Instant updatedAt) {

    public enum Action { SUBMITTED, WITHDRAWN }

    /** The latest change is still on its way or was applied: repeating it would change nothing. */
    public boolean isPendingOrApplied(Action action) {
        return lastAction == action && status != Status.REJECTED;
    }

    public boolean withdrawn() {
        return lastAction == Action.WITHDRAWN && status == Status.APPLIED;
    }
}
