package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Fixture access for the Cox and competing-risks tests: CSV tables, R's JSON, tolerances. */
final class CoxTestData {

    private CoxTestData() {
    }

    /** A CSV fixture (no quoting; empty field = missing) as named string columns. */
    static final class Table {
        final List<String> header;
        final List<String[]> rows;

        Table(List<String> header, List<String[]> rows) {
            this.header = header;
            this.rows = rows;
        }

        int size() {
            return rows.size();
        }

        String get(int row, String column) {
            int c = header.indexOf(column);
            if (c < 0) {
                throw new IllegalArgumentException("no column " + column);
            }
            String[] r = rows.get(row);
            return c < r.length ? r[c] : "";
        }

        /** The rows where every listed column is present. */
        Table complete(String... columns) {
            List<String[]> keep = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                boolean ok = true;
                for (String c : columns) {
                    if (c != null && !c.isEmpty() && get(i, c).isEmpty()) {
                        ok = false;
                    }
                }
                if (ok) {
                    keep.add(rows.get(i));
                }
            }
            return new Table(header, keep);
        }

        String[] strings(String column) {
            String[] out = new String[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = get(i, column);
            }
            return out;
        }

        double[] doubles(String column) {
            double[] out = new double[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Double.parseDouble(get(i, column));
            }
            return out;
        }

        int[] ints(String column) {
            int[] out = new int[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) Math.round(Double.parseDouble(get(i, column)));
            }
            return out;
        }
    }

    static Table csv(String name) {
        String text = resource(name);
        String[] lines = text.split("\r?\n");
        List<String> header = Arrays.asList(lines[0].split(",", -1));
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(lines[i].split(",", -1));
            }
        }
        return new Table(header, rows);
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = CoxTestData.class.getResourceAsStream("/survival/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** R's number, NaN for JSON null (R's NA). */
    static double num(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }

    static double num(JsonNode node, String field) {
        return num(node.get(field));
    }

    /** |actual − expected| ≤ tol · max(|expected|, floor); NaN matches NaN (R's NA). */
    static void close(double expected, double actual, double tol, double floor, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            assertTrue(Double.isNaN(expected) && Double.isNaN(actual),
                    what + ": expected " + expected + " got " + actual);
            return;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            assertTrue(expected == actual, what + ": expected " + expected + " got " + actual);
            return;
        }
        double err = Math.abs(actual - expected);
        double scale = Math.max(Math.abs(expected), floor);
        if (!(err <= tol * scale)) {
            fail(what + ": expected " + expected + " got " + actual + " (relative error " + err / scale + ", tol "
                    + tol + ")");
        }
    }

    /** Relative tolerance (floor 1e-300: effectively relative everywhere). */
    static void rel(double expected, double actual, double tol, String what) {
        close(expected, actual, tol, 1e-300, what);
    }

    /**
     * Collects comparisons with R per category (largest relative error seen, violations), so a test
     * reports every disagreement at once and prints how close each kind of figure came.
     */
    static final class Agreement {
        private final String name;
        private final Map<String, double[]> worst = new TreeMap<>();
        private final List<String> failures = new ArrayList<>();

        Agreement(String name) {
            this.name = name;
        }

        /** Relative comparison with a floor on the scale (for values that may be ~0). */
        void check(String category, String what, double expected, double actual, double tol, double floor) {
            double err;
            if (Double.isNaN(expected) || Double.isNaN(actual)) {
                err = Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
            } else if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
                err = expected == actual ? 0 : Double.POSITIVE_INFINITY;
            } else {
                err = Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
            }
            double[] w = worst.computeIfAbsent(category, k -> new double[] {0, tol});
            w[0] = Math.max(w[0], err);
            if (!(err <= tol)) {
                failures.add(category + " " + what + ": expected " + expected + " got " + actual + " (rel err " + err
                        + " > " + tol + ")");
            }
        }

        void check(String category, String what, double expected, double actual, double tol) {
            check(category, what, expected, actual, tol, 1e-300);
        }

        void require(boolean ok, String what) {
            if (!ok) {
                failures.add(what);
            }
        }

        /** Prints the largest error per category and fails with every violation. */
        void done() {
            StringBuilder sb = new StringBuilder(name).append(": largest relative error per figure\n");
            worst.forEach((k, v) -> sb.append(String.format("  %-28s %.3e (tol %.0e)%n", k, v[0], v[1])));
            System.out.print(sb);
            if (!failures.isEmpty()) {
                fail(name + ": " + failures.size() + " disagreement(s) with R:\n  "
                        + String.join("\n  ", failures.subList(0, Math.min(40, failures.size()))));
            }
        }
    }

    /** Per-level event and censoring counts by day: the GroupedCounts a one-factor Cox needs. */
    static GroupedCounts counts(int[] days, int[] status, String[] group, List<String> levels) {
        TreeMap<Integer, Integer> dayIndex = new TreeMap<>();
        for (int d : days) {
            dayIndex.put(d, 0);
        }
        int[] distinct = new int[dayIndex.size()];
        int k = 0;
        for (Map.Entry<Integer, Integer> e : dayIndex.entrySet()) {
            e.setValue(k);
            distinct[k++] = e.getKey();
        }
        Map<String, Integer> levelIndex = new LinkedHashMap<>();
        for (String l : levels) {
            levelIndex.put(l, levelIndex.size());
        }
        int[][] ev = new int[levels.size()][distinct.length];
        int[][] ce = new int[levels.size()][distinct.length];
        for (int i = 0; i < days.length; i++) {
            int g = levelIndex.get(group[i]);
            int t = dayIndex.get(days[i]);
            if (status[i] == 1) {
                ev[g][t]++;
            } else {
                ce[g][t]++;
            }
        }
        return new GroupedCounts(levels.toArray(String[]::new), distinct, ev, ce);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        } else {
            out.add(array.asText());
        }
        return out;
    }
}
