package org.nbregistry.local.bench;

import java.util.Collection;
import java.util.List;

/**
 * Nearest-rank percentiles of a set of measurements: the p-th percentile is the smallest value with at least p% of the
 * values at or below it, always one of the measured values.
 */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles of(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        return new Percentiles(sorted.size(), rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted.get(sorted.size() - 1));
    }

    static double rank(List<Double> sorted, double percent) {
        int index = (int) Math.ceil(percent / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
