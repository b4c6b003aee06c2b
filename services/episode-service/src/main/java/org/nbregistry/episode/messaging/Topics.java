package org.nbregistry.episode.messaging;

public final class Topics {

    public static final String CLINICAL_RECORDS = "intake.clinical-records";
    public static final String EPISODE_EVENTS = "registry.episode-events";
    public static final String TREATMENT_EVENTS = "registry.treatment-events";
    public static final String RECORD_STATUS = "registry.record-status";
    public static final String SOURCE = "episode-service";

    private Topics() {
    }
}
