package org.nbregistry.intake.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.nbregistry.intake.submission.SiteRecordState;
import org.nbregistry.intake.submission.Submission;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One of the site's records as intake holds it: the content last submitted, whether it was withdrawn, and the
 * status of the latest submission that changed it (with the owning service's reasons when it was rejected).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SiteRecordView(String recordType, String recordId, String patientPseudonym, boolean withdrawn, String lastChange,
                             Submission.Status status, List<Submission.Reason> reasons, String submissionId, Instant updatedAt,
                             Map<String, Object> record) {

    static SiteRecordView of(SiteRecordState s) {
        return new SiteRecordView(s.recordType(), s.recordId(), s.patientPseudonym(), s.withdrawn(), s.lastAction().name().toLowerCase(),
                s.status(), s.reasons(), s.submissionId(), s.updatedAt(), s.content());
    }
}
