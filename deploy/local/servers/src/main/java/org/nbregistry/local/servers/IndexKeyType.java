package org.nbregistry.local.servers;

import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * H2's own type for the keys of a unique index, with the same bytes on disk and the same order, at a fraction of the
 * cost. mongo-java-server's index keys ({@link KeyValue}) are not {@link Comparable}, so H2 orders them by their Java
 * serialization and serializes both keys again for every comparison: a lookup in an index of n keys made 2·log2(n)
 * serializations, the largest single cost of the MongoDB-wire server under load. Here a key is serialized once and its
 * bytes are remembered while it is in use; comparing and writing use those bytes exactly as H2 would, so data files
 * written before open unchanged.
 */
final class IndexKeyType extends ObjectDataType {

    /** H2's tag for a Java-serialized value (ObjectDataType.TYPE_SERIALIZED_OBJECT). */
    private static final byte SERIALIZED_OBJECT = 19;
    /** Serialized forms kept; about 100 bytes each, so the cache stays within a few MB per index. */
    private static final int REMEMBERED = 20_000;

    private final Map<KeyValue, byte[]> serialized = new ConcurrentHashMap<>();

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue x && b instanceof KeyValue y) {
            return a == b ? 0 : compareNotNull(bytes(x), bytes(y));
        }
        return super.compare(a, b);
    }

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (value instanceof KeyValue key) {
            byte[] data = bytes(key);
            buffer.put(SERIALIZED_OBJECT).putVarInt(data.length).put(data);
        } else {
            super.write(buffer, value);
        }
    }

    @Override
    public int getMemory(Object value) {
        return value instanceof KeyValue key ? 48 + 2 * bytes(key).length : super.getMemory(value);
    }

    byte[] bytes(KeyValue key) {
        if (!rememberable(key)) {
            return serialize(key);
        }
        byte[] known = serialized.get(key);
        if (known == null) {
            known = serialize(key);
            if (serialized.size() >= REMEMBERED) {
                serialized.clear();
            }
            serialized.put(key, known);
        }
        return known;
    }

    /**
     * Keys whose equal values always serialize to equal bytes. Not so for documents and lists, which compare equal in
     * another member order or with another list class, so those are serialized each time as before.
     */
    private static boolean rememberable(KeyValue key) {
        for (Object value : key) {
            if (!(value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof ObjectId || value instanceof Date || value instanceof UUID || value instanceof Missing)) {
                return false;
            }
        }
        return true;
    }
}
