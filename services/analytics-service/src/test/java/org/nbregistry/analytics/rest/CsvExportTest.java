package org.nbregistry.analytics.rest;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.dataset.Factors;
import org.nbregistry.analytics.statistics.Disclosure;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSV exports say exactly what the JSON says, in rows R's read.csv takes as they are. */
class CsvExportTest {

    private final List<AnalysisRecord> records = SampleCohort.records(40, 7);

    @Test
    void theKaplanMeierTableHasOneRowPerDayPerGroupAndOneForEachWithheldGroup() {
        SurvivalAnalysisView view = SampleCohort.survival(records, Endpoint.OS, "site");
        List<List<String>> rows = parse(CsvExport.survival(view));
        assertEquals(List.of(CsvExport.KM_HEADER.split(",")), rows.get(0));
        List<List<String>> all = rows.stream().filter(r -> r.get(0).equals("all")).toList();
        List<List<String>> shown = rows.stream().filter(r -> r.get(0).equals("S01")).toList();
        assertEquals(view.overall().table().size(), all.size());
        assertEquals(view.groups().get(0).table().size(), shown.size());
        assertEquals(List.of(List.of("S03", "true", "fewer than 5 episodes (disclosure control)", "", "", "", "", "", "", "", "")),
                rows.stream().filter(r -> r.get(0).equals("S03")).toList());
        assertEquals(List.of(List.of("S02", "true", Disclosure.COMPLEMENTARY_GROUP, "", "", "", "", "", "", "", "")),
                rows.stream().filter(r -> r.get(0).equals("S02")).toList(), "the next smallest site, else S03 = all − S01 − S02");
        for (int i = 0; i < shown.size(); i++) {
            SurvivalAnalysisView.CurveRow r = view.groups().get(0).table().get(i);
            assertEquals(List.of("S01", "false", "", Integer.toString(r.day()), Integer.toString(r.atRisk()), Integer.toString(r.events()),
                    Integer.toString(r.censored())), shown.get(i).subList(0, 7));
            assertEquals(r.survival(), Double.parseDouble(shown.get(i).get(7)), 0, "full precision");
        }
    }

    @Test
    void thePredictorsTableHasOneRowPerLevelAndOnePerFactorWithoutLevels() {
        PredictorsView view = SampleCohort.predictors(records, Endpoint.OS);
        List<List<String>> rows = parse(CsvExport.predictors(view));
        int columns = CsvExport.PREDICTORS_HEADER.split(",").length;
        assertTrue(rows.stream().allMatch(r -> r.size() == columns), "every row has every column, quoted fields included");
        int expected = view.predictors().stream().mapToInt(p -> Math.max(1, p.levels().size())).sum();
        assertEquals(expected + 1, rows.size());
        // No episode of the sample cohort says whether it had a biopsy.
        List<List<String>> withoutLevels = rows.stream().filter(r -> r.get(0).equals("biopsy")).toList();
        assertEquals(1, withoutLevels.size());
        assertEquals("fewer than two levels in this cohort", withoutLevels.get(0).get(columns - 1));
        List<String> chemoNo = rows.stream().filter(r -> r.get(0).equals("chemotherapy") && r.get(2).equals("no")).findFirst().orElseThrow();
        assertEquals("true", chemoNo.get(4));
        assertEquals("", chemoNo.get(6), "no n for a suppressed level");
        List<String> chemoYes = rows.stream().filter(r -> r.get(0).equals("chemotherapy") && r.get(2).equals("yes")).findFirst().orElseThrow();
        assertEquals(List.of("true", Disclosure.COMPLEMENTARY_GROUP, ""), chemoYes.subList(4, 7), "else no = all − yes");
    }

    @Test
    void fieldsWithCommasOrQuotesAreQuoted() {
        assertEquals("\"a, \"\"b\"\"\"", CsvExport.field("a, \"b\""));
        assertEquals("", CsvExport.field(null));
        assertEquals("0.5", CsvExport.field(0.5));
    }

    /** RFC 4180, enough for these files: CRLF records, quoted fields with doubled quotes. */
    static List<List<String>> parse(String csv) {
        assertTrue(csv.endsWith("\r\n"));
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
