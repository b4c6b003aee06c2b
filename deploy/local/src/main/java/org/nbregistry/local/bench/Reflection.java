package org.nbregistry.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.nbregistry.local.bench.IntakeClient.Posted;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Waits until analytics reflects a set of submissions: every record of every submission is final at intake (APPLIED,
 * or REJECTED and counted as such), analytics-service's consumer group has no lag, and the served statistics are
 * refreshed to a dataset version that no longer grows (the same on two looks in a row). Polls gently, so as not to
 * load the platform it measures: every {@value #POLL_MILLIS} ms, and only a few of the oldest unfinished submissions.
 */
final class Reflection {

    /**
     * @param reflected    whether everything was reflected before the deadline
     * @param atNanos      when it was first seen reflected ({@link System#nanoTime()}); the deadline otherwise
     * @param rejected     each rejected record with its reasons
     * @param waitingFor   what was still missing at the deadline
     */
    record Outcome(boolean reflected, long atNanos, int applied, List<String> rejected, String waitingFor) {
    }

    static final long POLL_MILLIS = 250;
    /** Submissions asked about per poll: the oldest first, since those finish first. */
    private static final int SUBMISSIONS_PER_POLL = 8;

    private final IntakeClient intake;
    private final AnalyticsClient analytics;
    private final ConsumerLag lag;

    Reflection(IntakeClient intake, AnalyticsClient analytics, ConsumerLag lag) {
        this.intake = intake;
        this.analytics = analytics;
        this.lag = lag;
    }

    Outcome await(List<Posted> submissions, long deadlineNanos) throws InterruptedException {
        Deque<Posted> pending = new ArrayDeque<>(submissions.stream().filter(p -> p.submissionId() != null).toList());
        int applied = 0;
        List<String> rejected = new ArrayList<>();
        Long candidateVersion = null;
        long candidateNanos = 0;
        String waitingFor = "nothing asked yet";
        while (System.nanoTime() < deadlineNanos) {
            long polled = System.nanoTime();
            try {
                for (int i = 0; i < SUBMISSIONS_PER_POLL && !pending.isEmpty(); i++) {
                    Posted next = pending.peekFirst();
                    JsonNode submission = intake.submission(next.site(), next.submissionId());
                    boolean open = false;
                    for (JsonNode record : submission.path("records")) {
                        open |= record.path("status").asText().equals("ACCEPTED");
                    }
                    if (open) {
                        break; // still the oldest: the next poll asks again
                    }
                    pending.pollFirst();
                    for (JsonNode record : submission.path("records")) {
                        String status = record.path("status").asText();
                        if (status.equals("APPLIED")) {
                            applied++;
                        } else {
                            rejected.add(record.path("recordId").asText() + " " + status + ": " + record.path("reasons"));
                        }
                    }
                }
                if (!pending.isEmpty()) {
                    waitingFor = pending.size() + " submissions not yet applied at intake";
                    candidateVersion = null;
                } else {
                    long analyticsLag = lag.of(ConsumerLag.ANALYTICS_GROUP);
                    AnalyticsClient.Status status = analytics.status();
                    if (analyticsLag > 0 || !status.refreshed()) {
                        waitingFor = "analytics: lag " + analyticsLag + ", dataset version " + status.datasetVersion()
                                + ", refreshed " + status.refreshedVersion();
                        candidateVersion = null;
                    } else if (candidateVersion != null && candidateVersion == status.datasetVersion()) {
                        return new Outcome(true, candidateNanos, applied, rejected, "");
                    } else {
                        candidateVersion = status.datasetVersion();
                        candidateNanos = polled;
                        waitingFor = "analytics: dataset version " + candidateVersion + " to stay put";
                    }
                }
            } catch (IOException | RuntimeException e) {
                waitingFor = "an answer (" + e.getMessage() + ")"; // asked again at the next poll
                candidateVersion = null;
            }
            Thread.sleep(Math.max(0, POLL_MILLIS - (System.nanoTime() - polled) / 1_000_000));
        }
        return new Outcome(false, deadlineNanos, applied, rejected, waitingFor);
    }
}
