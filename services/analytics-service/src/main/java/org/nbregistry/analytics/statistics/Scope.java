package org.nbregistry.analytics.statistics;

import java.time.LocalDate;

/**
 * Which data and time origin an analysis uses, beyond the cohort filter.
 *
 * @param asOf     data cut-off: the records as derived from the facts with clinical dates on or before it (episodes,
 *                 deaths and treatments dated later are unknown; follow-up beyond it is censored at it); null for
 *                 everything known now
 * @param landmark landmark day: only episodes still event-free and under follow-up after this many days (the
 *                 endpoint's time greater than it) are kept, their time counted from the landmark; null for none
 */
public record Scope(LocalDate asOf, Integer landmark) {

    public static final Scope LIVE = new Scope(null, null);

    public Scope {
        if (landmark != null && landmark < 0) {
            throw new IllegalArgumentException("landmark must not be negative");
        }
    }

    /** True when the incremental analyses can answer: no cut-off and no landmark. */
    public boolean isLive() {
        return asOf == null && landmark == null;
    }
}
