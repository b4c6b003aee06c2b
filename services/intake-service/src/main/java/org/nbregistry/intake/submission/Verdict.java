package org.nbregistry.intake.submission;

import org.nbregistry.intake.submission.Submission.Reason;
import org.nbregistry.intake.submission.Submission.Status;

import java.util.List;

/** An owning service's verdict on one record of a submission (the data of a registry.record-status event). */
public record Verdict(String submissionId, String site, String recordType, String recordId, Status status, List<Reason> reasons) {
}
