package org.nbregistry.analytics.survival;

import java.util.List;

/**
 * The statistics of one analysis (endpoint × grouping) as {@link IncrementalAnalysis#refresh()} keeps
 * them: per group level (reference first) the Kaplan–Meier curve and its confidence band, and with two
 * or more levels the log-rank test and the categorical Cox model. Immutable; a refresh that found
 * nothing changed returns the previous result, and curves of groups without changes are carried over.
 *
 * @param groups  level labels, reference first (levels without records are left out, as R does)
 * @param curves  Kaplan–Meier curve per level (R: survfit(Surv ~ group)'s strata)
 * @param bands   the curves' pointwise confidence limits, of the analysis' type and level
 * @param logRank log-rank test of all levels (survdiff, rho = 0); null with fewer than two levels
 * @param cox     categorical Cox fit, no cox.zph; null with fewer than two levels or when the analysis
 *                was created without Cox
 */
public record AnalysisResult(List<String> groups, List<KaplanMeierCurve> curves, List<ConfidenceBand> bands,
                             LogRankTest logRank, CoxFit cox) {

    public AnalysisResult {
        groups = List.copyOf(groups);
        curves = List.copyOf(curves);
        bands = List.copyOf(bands);
    }
}
