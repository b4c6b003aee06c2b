package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * An immutable column of doubles in a result table. The engine wraps the arrays it has just filled
 * without copying them; values handed in from outside are copied, so a result can never change.
 */
public final class DoubleColumn {

    private final double[] values;

    private DoubleColumn(double[] values) {
        this.values = values;
    }

    /** Takes ownership of an array the engine has just filled and will not touch again. */
    static DoubleColumn wrap(double[] values) {
        return new DoubleColumn(values);
    }

    public static DoubleColumn of(double... values) {
        return new DoubleColumn(values.clone());
    }

    /** The backing array, read-only by convention (for the engine's own prefix copies). */
    double[] array() {
        return values;
    }

    public double get(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    public double[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleColumn other && Arrays.equals(values, other.values);
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
