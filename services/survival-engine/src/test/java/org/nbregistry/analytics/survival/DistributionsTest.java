package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compares against values printed by R (src/test/resources/survival/distributions_r.R). */
class DistributionsTest {

    private static final double REL_TOL = 1e-14;

    private static List<String[]> rows(String kind) throws IOException {
        try (InputStream in = DistributionsTest.class.getResourceAsStream("/survival/distributions_r.txt")) {
            List<String[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f[0].equals(kind)) {
                    out.add(f);
                }
            }
            assertTrue(out.size() > 10, kind);
            return out;
        }
    }

    private static void assertRelative(double expected, double actual, double tol, String what) {
        double err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(err <= tol,
                what + ": expected " + expected + " got " + actual + " rel err " + err);
    }

    @Test
    void chiSquareUpperTailMatchesR() throws IOException {
        for (String[] r : rows("chisq")) {
            double x = Double.parseDouble(r[1]);
            double df = Double.parseDouble(r[2]);
            double p = Double.parseDouble(r[3]);
            // R's own pgamma drifts to ~6e-14 relative near 1e-299 (see farTailAgainstHighPrecision)
            double tol = p < 1e-290 ? 1e-13 : REL_TOL;
            assertRelative(p, Distributions.chiSquareUpperTail(x, df), tol, "pchisq(" + x + "," + df + ")");
            // 1 - p is only a faithful reference where it does not cancel
            assertEquals(1 - p, Distributions.chiSquareLowerTail(x, df), 1e-15, "lower pchisq(" + x + "," + df + ")");
        }
    }

    @Test
    void normalUpperTailMatchesR() throws IOException {
        for (String[] r : rows("norm")) {
            double z = Double.parseDouble(r[1]);
            double p = Double.parseDouble(r[2]);
            assertRelative(p, Distributions.normalUpperTail(z), REL_TOL, "pnorm(" + z + ")");
            if (z >= 0) {
                assertRelative(2 * p, Distributions.normalTwoSided(z), REL_TOL, "2-sided " + z);
            }
        }
    }

    @Test
    void normalQuantileMatchesR() throws IOException {
        for (String[] r : rows("qnorm")) {
            double p = Double.parseDouble(r[1]);
            double z = Double.parseDouble(r[2]);
            if (z == 0) {
                assertEquals(0.0, Distributions.normalQuantile(p));
            } else {
                assertRelative(z, Distributions.normalQuantile(p), REL_TOL, "qnorm(" + p + ")");
            }
        }
    }

    /** 40-digit values of Q(df/2, 690) from mpmath.gammainc(df/2, 690, inf, regularized=True). */
    @Test
    void farTailAgainstHighPrecision() {
        assertRelative(6.441714254784623368e-299, Distributions.chiSquareUpperTail(1380, 3), 1e-15, "df3");
        assertRelative(2.967486138566101373e-296, Distributions.chiSquareUpperTail(1380, 5), 1e-15, "df5");
        assertRelative(8.202157472484895242e-294, Distributions.chiSquareUpperTail(1380, 7), 1e-15, "df7");
    }

    @Test
    void edgeCases() {
        assertEquals(1.0, Distributions.chiSquareUpperTail(0, 3));
        assertEquals(0.0, Distributions.chiSquareUpperTail(Double.POSITIVE_INFINITY, 3));
        assertTrue(Double.isNaN(Distributions.chiSquareUpperTail(Double.NaN, 1)));
        assertEquals(0.5, Distributions.normalUpperTail(0));
        assertEquals(Double.NEGATIVE_INFINITY, Distributions.normalQuantile(0));
        assertEquals(Double.POSITIVE_INFINITY, Distributions.normalQuantile(1));
        assertEquals(1.959963984540054, Distributions.normalQuantile(0.975), 1e-15);
    }
}
