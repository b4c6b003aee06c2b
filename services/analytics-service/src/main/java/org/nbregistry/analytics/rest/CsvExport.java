package org.nbregistry.analytics.rest;

import org.nbregistry.analytics.rest.PredictorsView.Predictor;
import org.nbregistry.analytics.rest.PredictorsView.PredictorLevel;
import org.nbregistry.analytics.rest.SurvivalAnalysisView.CurveRow;
import org.nbregistry.analytics.rest.SurvivalAnalysisView.GroupSurvival;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kaplan–Meier, predictors and competing-risks tables as CSV (RFC 4180: comma, CRLF, quotes where needed), one row per table row
 * in long form so that R's read.csv or a spreadsheet takes them as they are. Numbers are full precision; a figure that
 * JSON gives as null is an empty field (NA to read.csv). A suppressed group is one row saying so, without numbers.
 */
final class CsvExport {

    static final String KM_HEADER = "group,suppressed,suppression_reason,day,at_risk,events,censored,survival,std_err,lower,upper";
    static final String PREDICTORS_HEADER = "factor,label,level,reference,suppressed,suppression_reason,n,events,estimate,"
            + "hazard_ratio,lower,upper,wald_p,logrank_p,note";
    static final String COMPETING_RISKS_HEADER = "group,suppressed,suppression_reason,cause,day,at_risk,events,cumulative_incidence,"
            + "std_err,lower,upper";

    private CsvExport() {
    }

    /** The cohort's table as group "all", then each group's. */
    static String survival(SurvivalAnalysisView view) {
        StringBuilder csv = new StringBuilder(KM_HEADER).append("\r\n");
        List<GroupSurvival> groups = new ArrayList<>();
        groups.add(view.overall());
        groups.addAll(view.groups());
        for (GroupSurvival g : groups) {
            if (g.suppressed()) {
                row(csv, g.level(), true, g.suppressionReason(), null, null, null, null, null, null, null, null);
                continue;
            }
            for (CurveRow r : g.table()) {
                row(csv, g.level(), false, null, r.day(), r.atRisk(), r.events(), r.censored(), r.survival(), r.stdErr(), r.lower(),
                        r.upper());
            }
        }
        return csv.toString();
    }

    /** One row per factor level; a factor without levels in the cohort is one row with its note. */
    static String predictors(PredictorsView view) {
        StringBuilder csv = new StringBuilder(PREDICTORS_HEADER).append("\r\n");
        for (Predictor p : view.predictors()) {
            if (p.levels().isEmpty()) {
                row(csv, p.factor(), p.label(), null, p.reference(), p.suppressed(), p.suppressionReason(), null, null, null, null, null,
                        null, null, p.logRankP(), p.note());
                continue;
            }
            for (PredictorLevel l : p.levels()) {
                row(csv, p.factor(), p.label(), l.level(), p.reference(), l.suppressed() || p.suppressed(),
                        l.suppressed() ? l.suppressionReason() : p.suppressionReason(), l.n(), l.events(), l.estimate(),
                        l.hazardRatio(), l.lower(), l.upper(), l.waldP(), p.logRankP(), p.note());
            }
        }
        return csv.toString();
    }

    /** The cohort's incidence table as group "all", then each group's; one row per group, cause and day. */
    static String competingRisks(CompetingRisksView view) {
        StringBuilder csv = new StringBuilder(COMPETING_RISKS_HEADER).append("\r\n");
        List<CompetingRisksView.CompetingRisksGroup> groups = new ArrayList<>();
        groups.add(view.overall());
        groups.addAll(view.groups());
        for (CompetingRisksView.CompetingRisksGroup g : groups) {
            if (g.suppressed()) {
                row(csv, g.level(), true, g.suppressionReason(), null, null, null, null, null, null, null, null);
                continue;
            }
            for (CompetingRisksView.CauseIncidence cause : g.causes()) {
                for (CompetingRisksView.IncidenceRow r : cause.table()) {
                    row(csv, g.level(), false, null, cause.cause(), r.day(), r.atRisk(), r.events(), r.cumulativeIncidence(), r.stdErr(),
                            r.lower(), r.upper());
                }
            }
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields[i]));
        }
        csv.append("\r\n");
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
