package org.nbregistry.analytics.survival;

/**
 * The sums over Efron's d pseudo risk sets at one tied event time, in O(1) for any d.
 *
 * <p>With E the weighted survivors of the day (at risk, not dying), B the weighted deaths and
 * c_k = k/d, Efron's k-th denominator is D_k = E + B − c_k·B, k = 0..d−1 (Efron 1977; survival's
 * coxfit6), i.e. E + (j/d)·B for j = 1..d. A Cox model with one categorical covariate needs only
 * these sums per day:
 * <pre>
 *   log  = Σ log D_k      t0 = Σ 1/D_k      t1 = Σ c_k/D_k
 *   q0   = Σ 1/D_k²       q1 = Σ c_k/D_k²   q2 = Σ c_k²/D_k²
 * </pre>
 * For d ≤ {@value #DIRECT_MAX} they are summed directly. For larger d, D = h·u with h = B/d and u on
 * the unit grid e+1, ..., e+d (e = E/h), so Σ f(u) is the Euler–Maclaurin sum formula (Abramowitz
 * &amp; Stegun 23.1.30) with Bernoulli terms up to B10 for f = 1/u, 1/u², log u on the part of the grid
 * where u ≥ {@value #GRID_MIN} (remainder below 1e-17 relative), and a direct sum below it. The c_k
 * sums follow from c_k·B = A − D_k with A = E + B. Taking E rather than A as input keeps the
 * smallest denominators (E + B/d when nearly everyone at risk dies) free of cancellation.
 */
final class CoxEfronSums {

    /** Up to this many tied deaths the sums are direct (d divisions; beyond, Euler–Maclaurin is cheaper). */
    static final int DIRECT_MAX = 8;
    /** Grid points u below this are summed directly; above it Euler–Maclaurin is exact to rounding. */
    static final double GRID_MIN = 20;

    static final int LOG = 0;
    static final int T0 = 1;
    static final int T1 = 2;
    static final int Q0 = 3;
    static final int Q1 = 4;
    static final int Q2 = 5;
    static final int SIZE = 6;

    private CoxEfronSums() {
    }

    /** Fills out[LOG..Q2] for survivor weight e ≥ 0, death weight b &gt; 0 and d ≥ 1 tied deaths. */
    static void compute(double e, double b, int d, double[] out) {
        if (d <= DIRECT_MAX) {
            direct(e, b, d, out);
        } else {
            eulerMaclaurin(e, b, d, out);
        }
    }

    /** Direct sums; the log of the product of D_k/A (each in [1/d, 1]) costs one log. */
    static void direct(double e, double b, int d, double[] out) {
        double a = e + b;
        double prod = 1;
        double t0 = 0;
        double t1 = 0;
        double q0 = 0;
        double q1 = 0;
        double q2 = 0;
        for (int k = 0; k < d; k++) {
            double c = (double) k / d;
            double dk = e + (double) (d - k) / d * b;
            prod *= dk / a;
            double inv = 1.0 / dk;
            double inv2 = inv * inv;
            t0 += inv;
            t1 += c * inv;
            q0 += inv2;
            q1 += c * inv2;
            q2 += c * c * inv2;
        }
        out[LOG] = d * Math.log(a) + Math.log(prod);
        out[T0] = t0;
        out[T1] = t1;
        out[Q0] = q0;
        out[Q1] = q1;
        out[Q2] = q2;
    }

    /** Large d: Euler–Maclaurin on the grid u = e+1, ..., e+d (see the class comment). */
    static void eulerMaclaurin(double e, double b, int d, double[] out) {
        double a = e + b;
        double h = b / d;
        double lowest = e / h + 1;
        double x = lowest + (d - 1);
        // grid points below GRID_MIN, summed directly: u = lowest, lowest+1, ...
        int m = 0;
        double prodLow = 1;
        double inv1 = 0;
        double inv2 = 0;
        while (m < d && lowest + m < GRID_MIN) {
            double u = lowest + m;
            prodLow *= u;
            inv1 += 1.0 / u;
            inv2 += 1.0 / (u * u);
            m++;
        }
        double logs = Math.log(prodLow);
        if (m < d) {
            double y = lowest + m;
            double span = d - 1 - m;           // x − y, exactly
            double z = span / y;
            double l1pz = Math.log1p(z);
            double logY = Math.log(y);
            double ix = 1 / x;
            double iy = 1 / y;
            // powers x^-n, y^-n for n = 1..11
            double x1 = ix;
            double x2 = ix * ix;
            double x3 = x2 * ix;
            double x4 = x2 * x2;
            double x5 = x4 * ix;
            double x6 = x4 * x2;
            double x7 = x6 * ix;
            double x8 = x4 * x4;
            double x9 = x8 * ix;
            double x10 = x8 * x2;
            double x11 = x10 * ix;
            double y1 = iy;
            double y2 = iy * iy;
            double y3 = y2 * iy;
            double y4 = y2 * y2;
            double y5 = y4 * iy;
            double y6 = y4 * y2;
            double y7 = y6 * iy;
            double y8 = y4 * y4;
            double y9 = y8 * iy;
            double y10 = y8 * y2;
            double y11 = y10 * iy;
            // f = 1/u: integral log(x/y), ends (f(x)+f(y))/2, B2k/(2k)! f^(2k-1) differences
            inv1 += l1pz + 0.5 * (x1 + y1) - (x2 - y2) / 12 + (x4 - y4) / 120 - (x6 - y6) / 252
                    + (x8 - y8) / 240 - (x10 - y10) / 132;
            // f = 1/u^2: integral (x-y)/(xy)
            inv2 += span * ix * iy + 0.5 * (x2 + y2) - (x3 - y3) / 6 + (x5 - y5) / 30 - (x7 - y7) / 42
                    + (x9 - y9) / 30 - 5 * (x11 - y11) / 66;
            // f = log u: integral x log x - x - (y log y - y)
            logs += x * l1pz + span * (logY - 1) + logY + 0.5 * l1pz + (x1 - y1) / 12 - (x3 - y3) / 360
                    + (x5 - y5) / 1260 - (x7 - y7) / 1680 + (x9 - y9) / 1188;
        }
        double t0 = inv1 / h;
        double q0 = inv2 / (h * h);
        out[LOG] = d * Math.log(h) + logs;
        out[T0] = t0;
        out[T1] = (a * t0 - d) / b;
        out[Q0] = q0;
        out[Q1] = (a * q0 - t0) / b;
        out[Q2] = (a * a * q0 - 2 * a * t0 + d) / (b * b);
    }
}
