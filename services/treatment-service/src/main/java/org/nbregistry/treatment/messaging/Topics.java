package org.nbregistry.treatment.messaging;

public final class Topics {

    public static final String TREATMENT_EVENTS = "registry.treatment-events";
    public static final String RECORD_STATUS = "registry.record-status";
    public static final String SOURCE = "treatment-service";

    private Topics() {
    }
}
