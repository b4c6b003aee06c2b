package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loads the committed CSV fixtures and R's JSON answers, and compares figures at a tolerance. */
final class Fixtures {

    static final double TOL = 1e-10;

    /** Figures compared so far in this JVM, so a test can show it compared something. */
    static final java.util.concurrent.atomic.AtomicLong COMPARED = new java.util.concurrent.atomic.AtomicLong();
    /** Largest |actual - expected| / max(1, |expected|) seen so far. */
    static final java.util.concurrent.atomic.DoubleAccumulator MAX_SCALED_ERROR =
            new java.util.concurrent.atomic.DoubleAccumulator(Math::max, 0.0);

    private Fixtures() {
    }

    /** A fixture CSV: columns by name, rows as strings ("" or "NA" = missing). */
    record Table(List<String> header, List<String[]> rows) {

        int column(String name) {
            int c = header.indexOf(name);
            assertTrue(c >= 0, "no column " + name);
            return c;
        }

        int[] ints(String name) {
            int c = column(name);
            return rows.stream().mapToInt(r -> Integer.parseInt(r[c])).toArray();
        }

        String[] strings(String name) {
            int c = column(name);
            return rows.stream().map(r -> missing(r[c]) ? null : r[c]).toArray(String[]::new);
        }

        int size() {
            return rows.size();
        }
    }

    static boolean missing(String v) {
        return v == null || v.isEmpty() || v.equals("NA");
    }

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/survival/" + resource)) {
            if (in == null) {
                fail("missing fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Table csv(String resource) {
        String[] lines = text(resource).split("\r?\n");
        List<String> header = Arrays.asList(lines[0].split(",", -1));
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(lines[i].split(",", -1));
            }
        }
        return new Table(header, rows);
    }

    static JsonNode json(String resource) {
        try {
            return new ObjectMapper().readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Group counts for one column with the given level order (rows with a missing level are left out). */
    static GroupedCounts counts(Table t, String groupColumn, List<String> levels) {
        return Tabulation.groupedCounts(levels.toArray(String[]::new), indexes(t.strings(groupColumn), levels),
                t.ints("time_days"), t.ints("status"));
    }

    static GroupedCounts pooled(Table t) {
        return Tabulation.groupedCounts(new String[] {"all"}, new int[t.size()], t.ints("time_days"), t.ints("status"));
    }

    static StratifiedCounts stratified(Table t, String groupColumn, List<String> levels, String strataColumn) {
        String[] strataValues = t.strings(strataColumn);
        List<String> strata = Arrays.stream(strataValues).filter(v -> v != null).distinct().sorted().toList();
        return Tabulation.stratifiedCounts(levels.toArray(String[]::new), indexes(t.strings(groupColumn), levels),
                strata.toArray(String[]::new), indexes(strataValues, strata), t.ints("time_days"), t.ints("status"));
    }

    static int[] indexes(String[] values, List<String> levels) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < levels.size(); i++) {
            index.put(levels.get(i), i);
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null ? -1 : index.getOrDefault(values[i], -1);
        }
        return out;
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

    /** The i-th element of a JSON value that jsonlite writes as a scalar when it has length one. */
    static JsonNode element(JsonNode node, int i) {
        return node.isArray() ? node.get(i) : node;
    }

    /** R's NA/NaN/Inf arrive as JSON null; they must be non-finite here. Numbers agree at TOL, absolute or relative. */
    static void near(JsonNode expected, double actual, String what) {
        COMPARED.incrementAndGet();
        if (expected == null || expected.isNull()) {
            assertTrue(!Double.isFinite(actual), what + ": R gives NA/Inf, got " + actual);
            return;
        }
        near(expected.asDouble(), actual, what);
    }

    static void near(double expected, double actual, String what) {
        double err = Math.abs(actual - expected);
        MAX_SCALED_ERROR.accumulate(err / Math.max(1.0, Math.abs(expected)));
        if (!(err <= TOL || err <= TOL * Math.abs(expected))) {
            fail(what + ": expected " + expected + " got " + actual + " (diff " + err + ")");
        }
    }

    static void same(JsonNode expected, int actual, String what) {
        COMPARED.incrementAndGet();
        assertEquals(expected.asInt(), actual, what);
    }
}
