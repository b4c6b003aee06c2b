package org.nbregistry.episode.response;

/** INRC 2017 overall response; derived from the components, never entered. Declared best first. */
public enum OverallResponse {
    CR, PR, MR, SD, PD, NE;

    /** The study's "response or stabilisation" (DOMAIN.md: disease control = CR, PR, MR or SD). */
    public boolean isDiseaseControl() {
        return this == CR || this == PR || this == MR || this == SD;
    }
}
