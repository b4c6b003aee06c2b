package org.nbregistry.analytics.survival;

import java.util.Arrays;

/**
 * Symmetric non-negative definite p×p matrices (row-major, flat) as R survival's Cox code treats
 * them: a generalized Cholesky (LDL') in which a pivot below {@code toler × max diagonal} marks a
 * redundant column; such a column is decoupled (its D is 0 and its L column is cleared), so solves
 * and the inverse give 0 in its row and column (Therneau, survival: cholesky2 / chsolve2 / chinv2).
 */
final class CoxMatrix {

    /** R's coxph.control(toler.chol): .Machine$double.eps^0.75. */
    static final double TOLER_CHOL = Math.pow(Math.ulp(1.0), 0.75);

    private CoxMatrix() {
    }

    /**
     * Factors the symmetric matrix {@code a} in place: afterwards its strict lower triangle holds the
     * unit lower-triangular L and its diagonal holds D (0 for redundant columns); the upper triangle
     * is left as it was. Only the lower triangle and the diagonal are read.
     *
     * @return the rank (number of non-redundant pivots)
     */
    static int factor(double[] a, int p, double toler) {
        double largest = 0;
        for (int i = 0; i < p; i++) {
            double v = a[i * p + i];
            if (v > largest) {
                largest = v;
            }
        }
        double eps = largest * toler;
        int rank = 0;
        for (int i = 0; i < p; i++) {
            double pivot = a[i * p + i];
            if (!(pivot >= eps) || pivot == 0 || Double.isInfinite(pivot)) {
                a[i * p + i] = 0;
                for (int j = i + 1; j < p; j++) {
                    a[j * p + i] = 0;
                }
                continue;
            }
            rank++;
            for (int j = i + 1; j < p; j++) {
                double lji = a[j * p + i] / pivot;
                a[j * p + j] -= lji * lji * pivot;
                for (int k = j + 1; k < p; k++) {
                    a[k * p + j] -= lji * a[k * p + i];
                }
                a[j * p + i] = lji;
            }
        }
        return rank;
    }

    /** Replaces b by G b, G the generalized inverse of the matrix whose factor is {@code f}. */
    static void solve(double[] f, int p, double[] b) {
        for (int i = 0; i < p; i++) {
            double t = b[i];
            for (int j = 0; j < i; j++) {
                t -= f[i * p + j] * b[j];
            }
            b[i] = t;
        }
        for (int i = p - 1; i >= 0; i--) {
            double d = f[i * p + i];
            if (d == 0) {
                b[i] = 0;
                continue;
            }
            double t = b[i] / d;
            for (int j = i + 1; j < p; j++) {
                t -= f[j * p + i] * b[j];
            }
            b[i] = t;
        }
    }

    /** Writes the generalized inverse of the factored matrix {@code f} into {@code out} (full, symmetric). */
    static void inverse(double[] f, int p, double[] out) {
        double[] col = new double[p];
        for (int j = 0; j < p; j++) {
            Arrays.fill(col, 0);
            col[j] = 1;
            solve(f, p, col);
            for (int i = 0; i < p; i++) {
                out[i * p + j] = col[i];
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (out[i * p + j] + out[j * p + i]);
                out[i * p + j] = m;
                out[j * p + i] = m;
            }
        }
    }

    /** x' G x for the generalized inverse G of symmetric {@code m} (copied, not modified); R's coxph.wtest. */
    static double quadraticFormInverse(double[] m, int p, double[] x, double toler) {
        double[] f = m.clone();
        factor(f, p, toler);
        double[] y = x.clone();
        solve(f, p, y);
        double s = 0;
        for (int i = 0; i < p; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
