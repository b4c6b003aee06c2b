package org.nbregistry.episode;

import com.fasterxml.jackson.annotation.JsonValue;

public enum VitalStatus {
    ALIVE, DEAD;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }
}
