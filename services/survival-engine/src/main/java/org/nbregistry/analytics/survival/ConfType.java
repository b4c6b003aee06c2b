package org.nbregistry.analytics.survival;

/** Pointwise confidence-interval transform for a survival curve, as survfit's {@code conf.type}. */
public enum ConfType {
    /** exp(log S -/+ z se), upper clipped at 1; R's default. */
    LOG("log"),
    /** exp(-exp(log(-log S) -/+ z se / log S)); undefined where S is 0 or 1. */
    LOG_LOG("log-log"),
    /** S -/+ z S se, clipped to [0, 1]. */
    PLAIN("plain");

    private final String rName;

    ConfType(String rName) {
        this.rName = rName;
    }

    /** The name R's survfit uses for this transform. */
    public String rName() {
        return rName;
    }

    public static ConfType fromRName(String name) {
        for (ConfType t : values()) {
            if (t.rName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown conf.type " + name);
    }
}
