package org.nbregistry.analytics.survival.benchmark;

import java.util.Comparator;
import java.util.List;
import org.nbregistry.analytics.survival.AnalysisResult;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.ConfidenceBand;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.GroupedCounts;
import org.nbregistry.analytics.survival.IncrementalAnalysis;
import org.nbregistry.analytics.survival.KaplanMeier;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.nbregistry.analytics.survival.LogRank;
import org.nbregistry.analytics.survival.Tabulation;

/**
 * The benchmarked work is what analytics-service's live statistics keep, for EFS and OS: Kaplan–Meier
 * (with log CI) overall and by each of the 19 factors of {@link SyntheticRegistry}, the log-rank test
 * and the categorical Cox model (Efron) of each factor. Either kept incrementally as the service keeps
 * them (40 {@link IncrementalAnalysis}: 2 endpoints x (overall + 19 factors), each built as the
 * service's {@code LiveStatistics} builds it) or recomputed from the records.
 */
public final class RegistryStatistics {

    private static final String[] ALL = {"all"};

    private final SyntheticRegistry data;
    /** analyses[endpoint][0] overall, [1..19] by factor. */
    private final IncrementalAnalysis[][] analyses = new IncrementalAnalysis[2][SyntheticRegistry.FACTORS + 1];

    /** The 40 analyses with Cox (Efron). */
    public RegistryStatistics(SyntheticRegistry data) {
        this(data, true);
    }

    /** {@code withCox} false leaves the Cox fits out, to show their share of a refresh. */
    public RegistryStatistics(SyntheticRegistry data, boolean withCox) {
        this.data = data;
        for (int e = 0; e < 2; e++) {
            for (int a = 0; a <= SyntheticRegistry.FACTORS; a++) {
                analyses[e][a] = new IncrementalAnalysis(Comparator.naturalOrder(), ConfType.LOG, 0.95,
                        withCox ? Cox.Ties.EFRON : null);
            }
        }
        for (int i = 0; i < data.size; i++) {
            contribute(i, true);
        }
    }

    /** Episode i's follow-up redrawn (a record change): its old values out of all 40 analyses, the new in (O(1) each). */
    public void redraw(int i) {
        contribute(i, false);
        data.redraw(i);
        contribute(i, true);
    }

    /** Adds or takes back episode i's current values in all 40 analyses. */
    private void contribute(int i, boolean add) {
        for (int e = 0; e < 2; e++) {
            int day = e == 0 ? data.efsDay[i] : data.osDay[i];
            boolean event = (e == 0 ? data.efsStatus[i] : data.osStatus[i]) == 1;
            for (int f = -1; f < SyntheticRegistry.FACTORS; f++) {
                String level = f < 0 ? ALL[0] : SyntheticRegistry.levels(f)[data.factor[f][i]];
                if (add) {
                    analyses[e][f + 1].add(day, event, level);
                } else {
                    analyses[e][f + 1].subtract(day, event, level);
                }
            }
        }
    }

    /**
     * Brings all 40 analyses up to date (each redoes only what the changes since its last refresh
     * reach; Cox warm-started from the previous refresh). Returns a checksum of every curve, band, test
     * and fit, so none of the work can be skipped.
     */
    public double refresh() {
        double sink = 0;
        for (int e = 0; e < 2; e++) {
            for (int f = 0; f <= SyntheticRegistry.FACTORS; f++) {
                AnalysisResult r = analyses[e][f].refresh();
                for (int g = 0; g < r.curves().size(); g++) {
                    KaplanMeierCurve curve = r.curves().get(g);
                    ConfidenceBand band = r.bands().get(g);
                    sink += band.lower().get(curve.size() - 1) + curve.stdErr().get(0);
                }
                if (r.logRank() != null) {
                    sink += r.logRank().chisq();
                }
                if (r.cox() != null) {
                    sink += r.cox().terms().get(0).coef();
                }
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
                GroupedCounts counts = Tabulation.groupedCounts(SyntheticRegistry.levels(f), data.factor[f], day, status);
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
}
