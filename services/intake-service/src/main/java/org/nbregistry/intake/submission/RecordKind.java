package org.nbregistry.intake.submission;

import java.util.Arrays;
import java.util.Optional;

/**
 * The record types sites submit: how each is named in the API and which event carries it. All kinds share one topic
 * (the records channel's), so a patient's records reach the owning service in the order they were submitted.
 */
public enum RecordKind {
    PATIENT("patient", "patients", "Patient"),
    EPISODE("episode", "episodes", "Episode"),
    RESPONSE_ASSESSMENT("response-assessment", "response-assessments", "ResponseAssessment"),
    FOLLOW_UP("follow-up", "follow-ups", "FollowUp"),
    SECOND_MALIGNANCY("second-malignancy", "second-malignancies", "SecondMalignancy"),
    TREATMENT("treatment", "treatments", "Treatment");

    private final String recordType;
    private final String collection;
    private final String eventStem;

    RecordKind(String recordType, String collection, String eventStem) {
        this.recordType = recordType;
        this.collection = collection;
        this.eventStem = eventStem;
    }

    /** The name in submissions and verdicts: "episode", "follow-up", ... */
    public String recordType() {
        return recordType;
    }

    /** The path segment under /v1: "episodes", "follow-ups", ... */
    public String collection() {
        return collection;
    }

    public String submittedEvent() {
        return eventStem + "Submitted";
    }

    public static Optional<RecordKind> ofRecordType(String recordType) {
        return Arrays.stream(values()).filter(k -> k.recordType.equals(recordType)).findFirst();
    }
}
