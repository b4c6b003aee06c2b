package org.nbregistry.analytics.survival;

import java.util.Arrays;

/** Open-addressing hash map from long keys to non-negative ints, linear probing, no boxing. */
final class LongIntMap {

    private static final int EMPTY = -1;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, EMPTY);
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** Value for key, or -1. */
    int get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == EMPTY) {
                return EMPTY;
            }
            if (keys[i] == key) {
                return values[i];
            }
        }
    }

    /** Stores a non-negative value; returns the previous value or -1. */
    int put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be >= 0");
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return EMPTY;
            }
            if (keys[i] == key) {
                int old = values[i];
                values[i] = value;
                return old;
            }
        }
    }

    /** Removes key; returns its value or -1. Backward-shift deletion keeps probe chains intact without tombstones. */
    int remove(long key) {
        int i = slot(key);
        while (true) {
            if (values[i] == EMPTY) {
                return EMPTY;
            }
            if (keys[i] == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        int removed = values[i];
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // move j into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = EMPTY;
        size--;
        return removed;
    }

    private int slot(long key) {
        // murmur3 fmix64: sequential ids spread over the table
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
