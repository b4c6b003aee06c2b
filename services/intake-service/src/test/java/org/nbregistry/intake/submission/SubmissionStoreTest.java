package org.nbregistry.intake.submission;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.nbregistry.intake.submission.AuditEntry.Change;
import org.nbregistry.intake.submission.SiteRecordState.Action;
import org.nbregistry.intake.submission.Submission.Reason;
import org.nbregistry.intake.submission.Submission.Status;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The effects a submission document carries come back as they went in, so a late completion writes the same thing. */
class SubmissionStoreTest {

    private static final Instant AT = Instant.parse("2024-06-01T10:15:30.123Z");

    @Test
    void effectsSurviveTheSubmissionDocument() {
        Document before = new Document("recordId", "EP1").append("episodeDate", "2024-04-01");
        Document after = new Document("recordId", "EP1").append("episodeDate", "2024-04-02");
        SubmissionEffects effects = new SubmissionEffects("sub-1", List.of(
                new SiteRecordState("S01", "episode", "EP1", "PSN-1", after, "hash-1", Action.SUBMITTED, "sub-1",
                        Status.ACCEPTED, List.of(), AT),
                // A withdrawal keeps the last content and has no hash.
                new SiteRecordState("S01", "follow-up", "FU1", "PSN-1", before, null, Action.WITHDRAWN, "sub-1",
                        Status.REJECTED, List.of(new Reason("date", "after-diagnosis", "too early")), AT)),
                List.of(new AuditEntry("sub-1/000", "S01", "dm@S01", AT, "sub-1", "episode", "EP1", "PSN-1", Change.CORRECTED, before, after, null),
                        new AuditEntry("sub-1/001", "S01", "dm@S01", AT, "sub-1", "follow-up", "FU1", "PSN-1", Change.WITHDRAWN, before, null, null)));

        Document stored = new Document("_id", "sub-1").append("effects", SubmissionStore.effectsDocument(effects));

        assertEquals(effects, SubmissionStore.effectsOf(stored));
    }
}
