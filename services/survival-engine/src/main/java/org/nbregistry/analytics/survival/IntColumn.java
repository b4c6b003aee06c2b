package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * An immutable column of ints in a result table. The engine wraps the arrays it has just filled
 * without copying them; values handed in from outside are copied, so a result can never change.
 */
public final class IntColumn {

    private final int[] values;

    private IntColumn(int[] values) {
        this.values = values;
    }

    /** Takes ownership of an array the engine has just filled and will not touch again. */
    static IntColumn wrap(int[] values) {
        return new IntColumn(values);
    }

    public static IntColumn of(int... values) {
        return new IntColumn(values.clone());
    }

    /** The backing array, read-only by convention (for the engine's own prefix copies). */
    int[] array() {
        return values;
    }

    public int get(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    public int[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntColumn other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
