package org.nbregistry.analytics.survival.benchmark;

import java.util.List;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.IncrementalCounts;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRank;
import org.nbregistry.analytics.survival.Tabulation;

/**
 * The benchmarked work, for EFS and OS: Kaplan–Meier (with log CI) overall and by each of 8 two-level
 * factors, the log-rank test and the categorical Cox model (Efron) of each factor. Either kept
 * incrementally (18 analyses: 2 endpoints x (overall + 8 factors)) or recomputed from the records.
 */
public final class RegistryStatistics {

    private static final String[] ALL = {"all"};

    private final SyntheticRegistry data;
    /** analyses[endpoint][0] overall, [1..8] by factor. */
    private final IncrementalCounts[][] analyses = new IncrementalCounts[2][SyntheticRegistry.FACTORS + 1];
    private final double[][][] warmStart = new double[2][SyntheticRegistry.FACTORS + 1][];

    public RegistryStatistics(SyntheticRegistry data) {
        this.data = data;
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a <= SyntheticRegistry.FACTORS; a++) {
                analyses[e][a] = new IncrementalCounts();
            }
        }
        for (int i = 0; i < data.size; i++) {
            apply(i);
        }
    }

    /** Puts episode i's current values into all 18 analyses: an O(1) delta each. */
    public void apply(int i) {
        for (int e = 0; e < 2; e++) {
            int day = e == 0 ? data.efsDay[i] : data.osDay[i];
            boolean event = (e == 0 ? data.efsStatus[i] : data.osStatus[i]) == 1;
            analyses[e][0].put(i, day, event, ALL[0]);
            for (int f = 0; f < SyntheticRegistry.FACTORS; f++) {
                analyses[e][f + 1].put(i, day, event, SyntheticRegistry.LEVELS[data.factor[f][i]]);
            }
        }
    }

    /** Full refresh from the incremental counts; Cox warm-started from the previous refresh. Returns a checksum. */
    public double refresh() {
        return refresh(true);
    }

    /** As {@link #refresh()}; {@code withCox} false leaves the Cox fits out, to show their share. */
    public double refresh(boolean withCox) {
        double sink = 0;
        for (int e = 0; e < 2; e++) {
            sink += curves(analyses[e][0].groupedCounts());
            for (int f = 1; f <= SyntheticRegistry.FACTORS; f++) {
                GroupedCounts counts = analyses[e][f].groupedCounts();
                sink += curves(counts) + LogRank.logRank(counts).chisq();
                if (!withCox) {
                    continue;
                }
                CoxFit fit = Cox.fitCategorical(List.of(counts), Cox.Ties.EFRON, warmStart[e][f], false);
                warmStart[e][f] = fit.warmStart();
                sink += fit.terms().get(0).coef();
            }
        }
        return sink;
    }

    /** The same statistics from the per-record arrays, nothing kept between calls. */
    public static double fromScratch(SyntheticRegistry data) {
        double sink = 0;
        int[] none = new int[data.size];
        for (int e = 0; e < 2; e++) {
            int[] day = e == 0 ? data.efsDay : data.osDay;
            int[] status = e == 0 ? data.efsStatus : data.osStatus;
            sink += curves(Tabulation.groupedCounts(ALL, none, day, status));
            for (int f = 0; f < SyntheticRegistry.FACTORS; f++) {
                GroupedCounts counts = Tabulation.groupedCounts(SyntheticRegistry.LEVELS, data.factor[f], day, status);
                sink += curves(counts) + LogRank.logRank(counts).chisq();
                sink += Cox.fitCategorical(List.of(counts), Cox.Ties.EFRON, null, false).terms().get(0).coef();
            }
        }
        return sink;
    }

    /** Kaplan–Meier of every group (overall when there is one group) with the default log CI. */
    private static double curves(GroupedCounts counts) {
        double sink = 0;
        for (KaplanMeierCurve curve : KaplanMeier.byGroup(counts)) {
            sink += curve.band(ConfType.LOG, 0.95).lower().get(curve.size() - 1) + curve.stdErr().get(0);
        }
        return sink;
    }

    public int distinctDays(int endpoint) {
        return analyses[endpoint][0].distinctDays();
    }
}
