package org.nbregistry.episode;

import com.fasterxml.jackson.annotation.JsonValue;

/** DOMAIN.md treatment categories: the study's five groups split into surgery and radiotherapy, plus targeted and other. */
public enum TreatmentCategory {
    CHEMOTHERAPY, IMMUNOTHERAPY, CONSOLIDATION, LOCAL_SURGERY, LOCAL_RADIOTHERAPY, MAINTENANCE, TARGETED, OTHER;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }
}
