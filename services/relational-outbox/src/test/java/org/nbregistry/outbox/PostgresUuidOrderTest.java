package org.nbregistry.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.Comparator;

import org.junit.jupiter.api.Test;

class PostgresUuidOrderTest {

    /** Lists read ahead come out in the order PostgreSQL's "order by ..., id" gives: uuids by their bytes, unsigned. */
    @Test
    void uuidsOrderAsPostgresOrdersThem() {
        Random random = new Random(3);
        List<UUID> ids = new ArrayList<>(List.of(UUID.fromString("80000000-0000-0000-0000-000000000000"),
                UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"), UUID.fromString("00000000-0000-0000-8000-000000000000"),
                UUID.fromString("00000000-0000-0000-0000-000000000001")));
        for (int i = 0; i < 200; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()));
        }
        Comparator<UUID> byBytes = Comparator.comparing(id -> HexFormat.of().formatHex(bytes(id)));
        List<UUID> expected = ids.stream().sorted(byBytes).toList();
        assertEquals(expected, ids.stream().sorted(PostgresUuidOrder::compare).toList());
    }

    private static byte[] bytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
