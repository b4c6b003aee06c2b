package org.nbregistry.analytics.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After seeded random sequences of add, change and remove, every statistic computed from the incremental
 * state equals the from-scratch computation on the final records: bit for bit against {@link Tabulation},
 * and within 1e-12 against a naive per-record implementation written independently here.
 */
class IncrementalCountsPropertyTest {

    private static final String[] LEVELS = {"a", "b", "c", "d", "e", "f"};
    private static final String[] STRATA = {"s1", "s2", "s3"};

    /** One record as the reference model keeps it. */
    private record Rec(int day, boolean event, String group, String stratum) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20240604L, 987654321L})
    void randomEditsMatchFromScratch(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        IncrementalCounts state = new IncrementalCounts();
        Map<Long, Rec> model = new LinkedHashMap<>();
        List<Long> ids = new ArrayList<>();
        int levels = 2 + rnd.nextInt(LEVELS.length - 1);
        int maxDay = rnd.nextBoolean() ? 60 : 3000; // few days = many ties; many days = array growth
        long nextId = 1_000_000_007L * seed;
        int operations = 3000;
        for (int op = 0; op < operations; op++) {
            int kind = model.isEmpty() ? 0 : rnd.nextInt(10);
            if (kind < 5) {
                long id = nextId++;
                Rec r = randomRecord(rnd, levels, maxDay);
                add(state, r);
                model.put(id, r);
                ids.add(id);
            } else if (kind < 8) {
                long id = ids.get(rnd.nextInt(ids.size()));
                Rec r = randomRecord(rnd, levels, maxDay);
                subtract(state, model.get(id));
                add(state, r);
                model.put(id, r);
            } else {
                int at = rnd.nextInt(ids.size());
                long id = ids.get(at);
                ids.set(at, ids.get(ids.size() - 1));
                ids.remove(ids.size() - 1);
                subtract(state, model.remove(id));
            }
            if (op % 500 == 499 || op == operations - 1) {
                assertEquals(model.size(), state.size());
                compare(state, model, levels);
            }
        }
        // drain a level completely: it must drop out of the snapshot
        for (Map.Entry<Long, Rec> e : new ArrayList<>(model.entrySet())) {
            if (e.getValue().group().equals("a")) {
                subtract(state, model.remove(e.getKey()));
            }
        }
        compare(state, model, levels);
        assertFalse(Arrays.asList(state.groupedCounts().groups()).contains("a"));
    }

    private static void add(IncrementalCounts state, Rec r) {
        state.add(r.day(), r.event(), r.group(), r.stratum());
    }

    private static void subtract(IncrementalCounts state, Rec r) {
        state.subtract(r.day(), r.event(), r.group(), r.stratum());
    }

    private static Rec randomRecord(SplittableRandom rnd, int levels, int maxDay) {
        String stratum = rnd.nextInt(20) == 0 ? null : STRATA[rnd.nextInt(STRATA.length)];
        return new Rec(rnd.nextInt(maxDay + 1), rnd.nextInt(3) > 0, LEVELS[rnd.nextInt(levels)], stratum);
    }

    private static void compare(IncrementalCounts state, Map<Long, Rec> model, int levels) {
        int n = model.size();
        int[] day = new int[n];
        int[] status = new int[n];
        int[] group = new int[n];
        int[] stratum = new int[n];
        int i = 0;
        for (Rec r : model.values()) {
            day[i] = r.day();
            status[i] = r.event() ? 1 : 0;
            group[i] = Arrays.asList(LEVELS).indexOf(r.group());
            stratum[i] = r.stratum() == null ? -1 : Arrays.asList(STRATA).indexOf(r.stratum());
            i++;
        }
        String[] lv = Arrays.copyOf(LEVELS, levels);
        GroupedCounts scratch = Tabulation.groupedCounts(lv, group, day, status);
        GroupedCounts incremental = state.groupedCounts();
        assertCountsEqual(scratch, incremental);
        assertEquals(incremental.dayCount(), state.distinctDays());

        StratifiedCounts scratchStrata = Tabulation.stratifiedCounts(lv, group, STRATA, stratum, day, status);
        StratifiedCounts incStrata = state.stratifiedCounts();
        assertArrayEquals(scratchStrata.groups(), incStrata.groups());
        assertArrayEquals(scratchStrata.strata(), incStrata.strata());
        for (int s = 0; s < incStrata.strata().length; s++) {
            assertCountsEqual(scratchStrata.perStratum()[s], incStrata.perStratum()[s]);
        }

        // identical inputs give identical statistics: checked bit for bit
        assertEquals(statistics(scratch, scratchStrata), statistics(incremental, incStrata));
        // and against the naive per-record computation
        checkAgainstNaive(incremental, incStrata, model);
    }

    private static void assertCountsEqual(GroupedCounts expected, GroupedCounts actual) {
        assertArrayEquals(expected.groups(), actual.groups());
        assertArrayEquals(expected.days(), actual.days());
        for (int g = 0; g < expected.groupCount(); g++) {
            assertArrayEquals(expected.events()[g], actual.events()[g]);
            assertArrayEquals(expected.censored()[g], actual.censored()[g]);
        }
    }

    /** Every statistic the engine derives, as a list of records (records and columns compare by value). */
    private static List<Object> statistics(GroupedCounts c, StratifiedCounts sc) {
        List<Object> out = new ArrayList<>();
        double[] times = {0, 30, 365, 1000, 5000};
        double[] probs = {0.25, 0.5, 0.75};
        List<KaplanMeierCurve> curves = new ArrayList<>(List.of(KaplanMeier.byGroup(c)));
        curves.add(KaplanMeier.overall(c));
        for (KaplanMeierCurve k : curves) {
            out.add(k);
            for (ConfType t : ConfType.values()) {
                out.add(k.band(t, 0.95));
                out.add(k.survivalAt(times, t, 0.95));
                out.add(k.median(t, 0.95));
                out.add(k.quantiles(probs, t, 0.95));
            }
            out.add(k.rmst(365));
        }
        out.add(KaplanMeier.medianFollowUp(c, ConfType.LOG, 0.95));
        if (c.groupCount() >= 2) {
            out.add(LogRank.logRank(c));
            out.add(LogRank.petoPeto(c));
            out.add(LogRank.gRho(c, 0.5));
            out.add(LogRank.trend(c));
            out.add(LogRank.pairwise(c, 0));
        }
        if (sc.groups().length >= 2) {
            out.add(LogRank.stratified(sc, 0));
        }
        return out;
    }

    /** Brute force over records: KM, Greenwood and the log-rank / stratified log-rank statistics. */
    private static void checkAgainstNaive(GroupedCounts c, StratifiedCounts sc, Map<Long, Rec> model) {
        List<Rec> all = new ArrayList<>(model.values());
        for (int g = 0; g < c.groupCount(); g++) {
            String level = c.groups()[g];
            List<Rec> recs = all.stream().filter(r -> r.group().equals(level)).toList();
            KaplanMeierCurve k = KaplanMeier.forGroup(c, g);
            int[] distinct = recs.stream().mapToInt(Rec::day).distinct().sorted().toArray();
            assertEquals(distinct.length, k.size());
            double s = 1;
            double gw = 0;
            for (int i = 0; i < distinct.length; i++) {
                int t = distinct[i];
                long atRisk = recs.stream().filter(r -> r.day() >= t).count();
                long d = recs.stream().filter(r -> r.day() == t && r.event()).count();
                s *= 1.0 - (double) d / atRisk;
                gw += d == 0 ? 0 : d == atRisk ? Double.POSITIVE_INFINITY : (double) d / (atRisk * (atRisk - d));
                assertEquals(atRisk, k.nRisk().get(i));
                assertEquals(s, k.surv().get(i), 1e-12);
                assertEquals(Math.sqrt(gw), k.stdErr().get(i), 1e-12 * Math.max(1, Math.sqrt(gw)));
            }
        }
        if (c.groupCount() >= 2) {
            double[] naive = naiveLogRank(List.of(all), c.groups());
            LogRankTest t = LogRank.logRank(c);
            for (int g = 0; g < c.groupCount(); g++) {
                assertEquals(naive[g], t.observed().get(g) - t.expected().get(g), 1e-9);
            }
            assertEquals(naive[c.groupCount()], t.chisq(), 1e-12 * Math.max(1, t.chisq()));
        }
        if (sc.groups().length >= 2) {
            List<List<Rec>> perStratum = new ArrayList<>();
            for (String s : sc.strata()) {
                perStratum.add(all.stream().filter(r -> s.equals(r.stratum())).toList());
            }
            double[] naive = naiveLogRank(perStratum, sc.groups());
            assertEquals(naive[sc.groups().length], LogRank.stratified(sc, 0).chisq(),
                    1e-12 * Math.max(1, naive[sc.groups().length]));
        }
    }

    /** O - E per group and the chi-square (all groups have expected &gt; 0 here), summed over strata. */
    private static double[] naiveLogRank(List<List<Rec>> strata, String[] groups) {
        int k = groups.length;
        double[] oe = new double[k];
        double[][] v = new double[k][k];
        for (List<Rec> recs : strata) {
            int[] eventDays = recs.stream().filter(Rec::event).mapToInt(Rec::day).distinct().sorted().toArray();
            for (int t : eventDays) {
                double n = recs.stream().filter(r -> r.day() >= t).count();
                double d = recs.stream().filter(r -> r.day() == t && r.event()).count();
                double[] nk = new double[k];
                for (int g = 0; g < k; g++) {
                    String level = groups[g];
                    nk[g] = recs.stream().filter(r -> r.group().equals(level) && r.day() >= t).count();
                    double dk = recs.stream().filter(r -> r.group().equals(level) && r.day() == t && r.event()).count();
                    oe[g] += dk - d * nk[g] / n;
                }
                if (n > 1) {
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            v[a][b] += d * (n - d) / (n - 1) * (nk[a] / n) * ((a == b ? 1 : 0) - nk[b] / n);
                        }
                    }
                }
            }
        }
        // chi-square on groups 1..k-1 by Gauss-Jordan on a copy
        int m = k - 1;
        double[][] a = new double[m][m + 1];
        for (int r = 0; r < m; r++) {
            for (int col = 0; col < m; col++) {
                a[r][col] = v[r + 1][col + 1];
            }
            a[r][m] = oe[r + 1];
        }
        for (int col = 0; col < m; col++) {
            int p = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[p][col])) {
                    p = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[p];
            a[p] = tmp;
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= m; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double chisq = 0;
        for (int r = 0; r < m; r++) {
            chisq += oe[r + 1] * a[r][m] / a[r][r];
        }
        double[] out = Arrays.copyOf(oe, k + 1);
        out[k] = chisq;
        return out;
    }

    @Test
    void rejectsDaysOutsideTheRangeAndContributionsNeverAdded() {
        IncrementalCounts state = new IncrementalCounts();
        assertThrows(IllegalArgumentException.class, () -> state.add(-1, true, "a"));
        assertThrows(IllegalArgumentException.class, () -> state.add(IncrementalCounts.MAX_DAY + 1, true, "a"));
        assertEquals(0, state.size());
        state.add(10, true, "a");
        assertThrows(IllegalArgumentException.class, () -> state.subtract(10, false, "a"));
        assertThrows(IllegalArgumentException.class, () -> state.subtract(11, true, "a"));
        assertThrows(IllegalArgumentException.class, () -> state.subtract(10, true, "b"));
        state.subtract(10, true, "a");
        assertEquals(0, state.size());
        assertThrows(IllegalArgumentException.class, () -> state.subtract(10, true, "a"));
    }
}
