package org.nbregistry.episode;

import com.fasterxml.jackson.annotation.JsonValue;

/** DOMAIN.md: refractory | relapse | progression; analyses group relapse with progression. */
public enum EpisodeType {
    REFRACTORY, RELAPSE, PROGRESSION;

    @JsonValue
    public String code() {
        return name().toLowerCase();
    }
}
