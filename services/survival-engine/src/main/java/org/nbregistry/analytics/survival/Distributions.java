package org.nbregistry.analytics.survival;

/**
 * Tail probabilities and quantiles of the normal and chi-square distributions, accurate to a few
 * ulps in relative terms far into the tails (p-values down to about 1e-300), as R's pnorm,
 * pchisq(lower.tail = FALSE) and qnorm report them.
 *
 * <p>Relative accuracy in the far tail comes from never forming exp(-x) of an inexact argument:
 * the normal density splits z so that its square is exact, and the gamma prefactor multiplies
 * exp(-x/2) twice around x^a / Gamma(a+1) so no intermediate goes subnormal.
 */
public final class Distributions {

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    /** Below this z the upper normal tail comes from the series for Phi(z) - 1/2, above from Laplace's continued fraction. */
    private static final double NORMAL_SERIES_LIMIT = 1.5;
    private static final int MAX_ITERATIONS = 100_000;
    private static final double EPS = 1e-17;

    private Distributions() {
    }

    /** Standard normal density; z is split so z^2/2 is exact and the tail keeps full relative precision. */
    public static double normalDensity(double z) {
        double a = Math.abs(z);
        if (a > 40) {
            return 0.0;
        }
        double hi = Math.floor(a * 16) / 16;
        double lo2 = (a - hi) * (a + hi);
        return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * lo2) / SQRT_2PI;
    }

    /** P(Z > z) for a standard normal Z (R: pnorm(z, lower.tail = FALSE)). */
    public static double normalUpperTail(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        if (z < 0) {
            return 1.0 - normalUpperTailPositive(-z);
        }
        return normalUpperTailPositive(z);
    }

    /** P(Z <= z) (R: pnorm(z)). */
    public static double normalLowerTail(double z) {
        return normalUpperTail(-z);
    }

    /** Two-sided p-value 2 P(Z > |z|) (R: 2 * pnorm(-abs(z))). */
    public static double normalTwoSided(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        return Math.min(1.0, 2.0 * normalUpperTailPositive(Math.abs(z)));
    }

    private static double normalUpperTailPositive(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        if (z < NORMAL_SERIES_LIMIT) {
            // Phi(z) - 1/2 = phi(z) * sum z^(2n+1) / (2n+1)!!  (all terms positive, no cancellation inside)
            double term = z;
            double sum = z;
            double zz = z * z;
            for (int n = 1; n < MAX_ITERATIONS && term > EPS * sum; n++) {
                term *= zz / (2 * n + 1);
                sum += term;
            }
            return 0.5 - normalDensity(z) * sum;
        }
        return normalDensity(z) * millsRatio(z);
    }

    /** Mills ratio Q(z)/phi(z) = 1/(z+ 1/(z+ 2/(z+ 3/(z+ ...)))) (Laplace), by the modified Lentz method. */
    private static double millsRatio(double z) {
        final double tiny = 1e-300;
        double f = z;
        double c = z;
        double d = 0.0;
        for (int k = 1; k < MAX_ITERATIONS; k++) {
            d = z + k * d;
            if (d == 0) {
                d = tiny;
            }
            c = z + k / c;
            if (c == 0) {
                c = tiny;
            }
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < EPS) {
                break;
            }
        }
        return 1.0 / f;
    }

    /**
     * Standard normal quantile (R: qnorm(p)). Starting value from Abramowitz &amp; Stegun 26.2.23, then
     * Newton steps on log Q(z) = log q, so the result is as accurate as {@link #normalUpperTail}.
     */
    public static double normalQuantile(double p) {
        if (Double.isNaN(p) || p < 0 || p > 1) {
            return Double.NaN;
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p == 0.5) {
            return 0.0;
        }
        return p < 0.5 ? -upperQuantile(p) : upperQuantile(1.0 - p);
    }

    /** z >= 0 with P(Z > z) = q, for 0 < q < 1/2. */
    private static double upperQuantile(double q) {
        double t = Math.sqrt(-2.0 * Math.log(q));
        double z = t - (2.515517 + t * (0.802853 + t * 0.010328))
                / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
        double logQ = Math.log(q);
        for (int i = 0; i < 50; i++) {
            double tail = normalUpperTailPositive(z);
            double step = (Math.log(tail) - logQ) * tail / normalDensity(z);
            z += step;
            if (Math.abs(step) <= 1e-16 * Math.max(1.0, z)) {
                break;
            }
        }
        return z;
    }

    /** P(X > x) for X ~ chi-square with df degrees of freedom (R: pchisq(x, df, lower.tail = FALSE)). */
    public static double chiSquareUpperTail(double x, double df) {
        if (Double.isNaN(x) || Double.isNaN(df) || df < 0) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 1.0;
        }
        if (df == 0) {
            return 0.0;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        return gammaUpperRegularized(0.5 * df, 0.5 * x);
    }

    /** P(X <= x) for X ~ chi-square(df) (R: pchisq(x, df)). */
    public static double chiSquareLowerTail(double x, double df) {
        if (Double.isNaN(x) || Double.isNaN(df) || df < 0) {
            return Double.NaN;
        }
        if (x <= 0) {
            return 0.0;
        }
        if (df == 0 || x == Double.POSITIVE_INFINITY) {
            return 1.0;
        }
        double a = 0.5 * df;
        double h = 0.5 * x;
        return h < a + 1 ? gammaLowerSeries(a, h) : 1.0 - gammaUpperFraction(a, h);
    }

    /** Regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a). */
    public static double gammaUpperRegularized(double a, double x) {
        if (x <= 0) {
            return 1.0;
        }
        return x < a + 1 ? 1.0 - gammaLowerSeries(a, x) : gammaUpperFraction(a, x);
    }

    /** P(a, x) = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n))  (Abramowitz &amp; Stegun 6.5.29). */
    private static double gammaLowerSeries(double a, double x) {
        double term = 1.0;
        double sum = 1.0;
        for (int n = 1; n < MAX_ITERATIONS; n++) {
            term *= x / (a + n);
            sum += term;
            if (term < EPS * sum) {
                break;
            }
        }
        return poissonKernel(a, x) * sum;
    }

    /** Q(a, x) = x^a e^-x / Gamma(a) * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))  (Legendre), modified Lentz. */
    private static double gammaUpperFraction(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1.0 - a;
        double c = 1.0 / tiny;
        double d = 1.0 / b;
        double f = d;
        for (int k = 1; k < MAX_ITERATIONS; k++) {
            double an = -k * (k - a);
            b += 2.0;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1.0 / d;
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1.0) < EPS) {
                break;
            }
        }
        return a * poissonKernel(a, x) * f;
    }

    /** x^a e^-x / Gamma(a+1); halves of exp(-x) keep intermediates normal so the tail keeps its relative precision. */
    private static double poissonKernel(double a, double x) {
        double half = Math.exp(-0.5 * x);
        double power = Math.pow(x, a) / gammaOfOnePlus(a);
        double r = half * power * half;
        if (Double.isFinite(power) && power > 0 && r > Double.MIN_NORMAL) {
            return r;
        }
        return Math.exp(a * Math.log(x) - x - logGamma(a + 1.0));
    }

    /** Gamma(a+1): exact products for integer and half-integer a (all that chi-square needs), else exp(lgamma). */
    private static double gammaOfOnePlus(double a) {
        if (a <= 100 && a == Math.rint(a)) {
            double g = 1.0;
            for (int k = 2; k <= (int) a; k++) {
                g *= k;
            }
            return g;
        }
        if (a <= 100 && 2 * a == Math.rint(2 * a)) {
            // Gamma(m + 3/2) = sqrt(pi) * prod_{k=0..m} (k + 1/2)
            double g = SQRT_PI;
            for (double k = 0.5; k <= a; k += 1.0) {
                g *= k;
            }
            return g;
        }
        return Math.exp(logGamma(a + 1.0));
    }

    /** log Gamma(y), y > 0: Stirling's series with Bernoulli terms after shifting y above 15 by the recurrence. */
    public static double logGamma(double y) {
        if (y <= 0 || Double.isNaN(y)) {
            return Double.NaN;
        }
        double shift = 1.0;
        double v = y;
        double logShift = 0.0;
        while (v < 15) {
            shift *= v;
            v += 1.0;
            if (shift > 1e280) {
                logShift += Math.log(shift);
                shift = 1.0;
            }
        }
        logShift += Math.log(shift);
        double inv = 1.0 / v;
        double inv2 = inv * inv;
        double series = inv * (1.0 / 12 + inv2 * (-1.0 / 360 + inv2 * (1.0 / 1260 + inv2 * (-1.0 / 1680
                + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360360 + inv2 * (1.0 / 156)))))));
        return (v - 0.5) * Math.log(v) - v + LOG_SQRT_2PI + series - logShift;
    }
}
