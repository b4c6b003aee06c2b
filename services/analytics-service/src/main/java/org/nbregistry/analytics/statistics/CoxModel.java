package org.nbregistry.analytics.statistics;

import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.survival.Concordance;
import org.nbregistry.analytics.survival.Cox;
import org.nbregistry.analytics.survival.CoxData;
import org.nbregistry.analytics.survival.CoxDesign;
import org.nbregistry.analytics.survival.CoxFit;
import org.nbregistry.analytics.survival.CoxOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A multivariable Cox model over factors, fitted per episode (R: {@code coxph(Surv(time, status) ~ a + b + a:b +
 * strata(s), data, ties, cluster = patient)} on the complete cases, {@code cox.zph(fit)} and {@code fit$concordance}).
 * Episodes without a level of any term or of the stratifying factor are left out (listwise, as R's na.omit) and
 * counted.
 *
 * @param spec               what was asked
 * @param n                  episodes used
 * @param events             events among them
 * @param droppedForMissing  episodes of the cohort left out for a missing level
 * @param strata             the strata levels used (empty without strata)
 * @param levels             per term factor, its levels in model order (reference first) with the episodes at each
 * @param interactionCells   with an interaction, episodes per combination of its two factors' levels ("a:b" keys); else empty
 * @param fit                null when no episode is complete
 * @param concordance        null when {@code fit} is
 */
public record CoxModel(Spec spec, int n, int events, int droppedForMissing, List<String> strata,
                       Map<String, Map<String, Integer>> levels, Map<String, Integer> interactionCells, CoxFit fit,
                       Concordance concordance) {

    /**
     * @param terms       factor names, in model order
     * @param interaction null, or the two factors (both among the terms) whose interaction is added
     * @param strataBy    null, or a factor (not a term) whose levels get separate baseline hazards
     */
    public record Spec(Endpoint endpoint, List<String> terms, List<String> interaction, String strataBy, boolean clusterByPatient,
                       Cox.Ties ties) {
        public Spec {
            terms = List.copyOf(terms);
            interaction = interaction == null ? null : List.copyOf(interaction);
        }
    }

    public CoxModel {
        strata = List.copyOf(strata);
    }

    /**
     * One coefficient: the term it belongs to ("a" or "a:b"), its level ("yes", or "yes:relapse" for an interaction)
     * and the factors it contrasts (the term's factors).
     */
    public record Column(String term, String level, List<String> factors) {
    }

    /** The coefficients in the fit's order (R's names(coef(fit))). */
    public List<Column> columns() {
        List<Column> out = new ArrayList<>();
        for (String t : spec.terms()) {
            levels.get(t).keySet().stream().skip(1).forEach(l -> out.add(new Column(t, l, List.of(t))));
        }
        if (spec.interaction() != null && fit != null && out.size() < fit.size()) {
            List<String> ab = spec.interaction();
            List<String> la = levels.get(ab.get(0)).keySet().stream().skip(1).toList();
            List<String> lb = levels.get(ab.get(1)).keySet().stream().skip(1).toList();
            for (String b : lb) {
                for (String a : la) {
                    out.add(new Column(ab.get(0) + ":" + ab.get(1), a + ":" + b, ab));
                }
            }
        }
        return out;
    }

    /** The model over the cohort's records; from a landmark day (null for none) as {@link Scope#landmark()}. */
    public static CoxModel fit(List<AnalysisRecord> records, Spec spec, Integer landmark) {
        List<AnalysisRecord> complete = new ArrayList<>();
        int dropped = 0;
        Endpoint e = spec.endpoint();
        for (AnalysisRecord r : records) {
            if (landmark != null && r.days(e) <= landmark) {
                continue;   // not at risk at the landmark: outside the analysis, not missing
            }
            boolean known = spec.strataBy() == null || r.level(spec.strataBy()) != null;
            for (String t : spec.terms()) {
                known &= r.level(t) != null;
            }
            if (known) {
                complete.add(r);
            } else {
                dropped++;
            }
        }
        int n = complete.size();
        int shift = landmark == null ? 0 : landmark;
        int[] day = new int[n];
        int[] status = new int[n];
        String[] patient = new String[n];
        String[] stratum = new String[n];
        int events = 0;
        for (int i = 0; i < n; i++) {
            AnalysisRecord r = complete.get(i);
            day[i] = r.days(e) - shift;
            status[i] = r.event(e) ? 1 : 0;
            events += status[i];
            patient[i] = r.patientPseudonym();
            stratum[i] = spec.strataBy() == null ? null : r.level(spec.strataBy());
        }
        Map<String, Map<String, Integer>> levels = new LinkedHashMap<>();
        for (String t : spec.terms()) {
            Map<String, Integer> counts = new TreeMap<>();
            complete.forEach(r -> counts.merge(r.level(t), 1, Integer::sum));
            levels.put(t, counts);
        }
        Map<String, Integer> cells = new TreeMap<>();
        if (spec.interaction() != null) {
            String a = spec.interaction().get(0);
            String b = spec.interaction().get(1);
            for (String la : levels.get(a).keySet()) {
                for (String lb : levels.get(b).keySet()) {
                    cells.put(la + ":" + lb, 0);
                }
            }
            complete.forEach(r -> cells.merge(r.level(a) + ":" + r.level(b), 1, Integer::sum));
        }
        List<String> strata = spec.strataBy() == null ? List.of()
                : List.copyOf(new TreeSet<>(complete.stream().map(r -> r.level(spec.strataBy())).toList()));
        boolean interacts = spec.interaction() != null && spec.interaction().stream().allMatch(f -> levels.get(f).size() > 1);
        if (n == 0 || levels.values().stream().allMatch(l -> l.size() < 2)) {
            return new CoxModel(spec, 0, 0, dropped, strata, levels, cells, null, null);
        }
        CoxDesign.Builder design = CoxDesign.builder(n);
        for (String t : spec.terms()) {
            String[] values = complete.stream().map(r -> r.level(t)).toArray(String[]::new);
            design.factor(t, values, List.copyOf(levels.get(t).keySet()));
        }
        if (interacts) {
            design.interaction(spec.interaction().get(0), spec.interaction().get(1));
        }
        CoxData data = CoxData.of(day, status, design.build());
        if (spec.strataBy() != null) {
            data = data.withStrata(stratum);
        }
        if (spec.clusterByPatient()) {
            data = data.withCluster(patient);
        }
        CoxFit fit = Cox.fit(data, CoxOptions.defaults().withTies(spec.ties()));
        return new CoxModel(spec, n, events, dropped, strata, levels, cells, fit, Concordance.ofFit(data, fit));
    }
}
