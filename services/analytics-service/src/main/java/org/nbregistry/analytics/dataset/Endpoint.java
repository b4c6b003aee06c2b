package org.nbregistry.analytics.dataset;

/** The time-to-event endpoints of DOMAIN.md "Time-to-event": both start at the episode date. */
public enum Endpoint {
    /** Event-free survival: next relapse/progression (the next episode), second malignancy or death. */
    EFS,
    /** Overall survival: death from any cause. */
    OS
}
