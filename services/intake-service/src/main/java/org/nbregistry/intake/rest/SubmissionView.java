package org.nbregistry.intake.rest;

import org.nbregistry.intake.submission.Submission;

import java.time.Instant;
import java.util.List;

/** What a site sees of a submission: each record's status (ACCEPTED → APPLIED or REJECTED) and the reasons. */
public record SubmissionView(String id, String site, Instant receivedAt, List<RecordView> records) {

    public record RecordView(String recordType, String recordId, Submission.Status status, List<Submission.Reason> reasons) {
    }

    /** The path of a submission, where its site follows its records' status. */
    public static String path(String id) {
        return "/v1/submissions/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    static SubmissionView of(Submission submission) {
        return new SubmissionView(submission.id(), submission.site(), submission.receivedAt(), submission.records().stream()
                .map(r -> new RecordView(r.recordType(), r.recordId(), r.status(), r.reasons()))
                .toList());
    }
}
