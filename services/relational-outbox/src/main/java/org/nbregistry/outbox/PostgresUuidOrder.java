package org.nbregistry.outbox;

import java.util.UUID;

/**
 * PostgreSQL's order of uuid values (by their bytes, unsigned), for lists read ahead and kept in memory that must come
 * out as "order by ..., id" would give them; java.util.UUID compares signed halves, which differs.
 */
public final class PostgresUuidOrder {

    private PostgresUuidOrder() {
    }

    public static int compare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
