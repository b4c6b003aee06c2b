package org.nbregistry.intake.submission;

import java.util.Arrays;
import java.util.Optional;

/** The record types sites submit: how each is named in the API, which event carries it and on which topic. */
public enum RecordKind {
    PATIENT("patient", "patients", "Patient", Topics.DISEASE_RECORDS),
    EPISODE("episode", "episodes", "Episode", Topics.DISEASE_RECORDS),
    RESPONSE_ASSESSMENT("response-assessment", "response-assessments", "ResponseAssessment", Topics.DISEASE_RECORDS),
    FOLLOW_UP("follow-up", "follow-ups", "FollowUp", Topics.DISEASE_RECORDS),
    SECOND_MALIGNANCY("second-malignancy", "second-malignancies", "SecondMalignancy", Topics.DISEASE_RECORDS),
    TREATMENT("treatment", "treatments", "Treatment", Topics.TREATMENT_RECORDS);

    private final String recordType;
    private final String collection;
    private final String eventStem;
    private final String topic;

    RecordKind(String recordType, String collection, String eventStem, String topic) {
        this.recordType = recordType;
        this.collection = collection;
        this.eventStem = eventStem;
        this.topic = topic;
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

    public String topic() {
        return topic;
    }

    public static Optional<RecordKind> ofRecordType(String recordType) {
        return Arrays.stream(values()).filter(k -> k.recordType.equals(recordType)).findFirst();
    }

    public static final class Topics {
        public static final String DISEASE_RECORDS = "intake.disease-records";
        public static final String TREATMENT_RECORDS = "intake.treatment-records";

        private Topics() {
        }
    }
}
