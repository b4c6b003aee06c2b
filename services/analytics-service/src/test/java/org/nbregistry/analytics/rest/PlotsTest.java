package org.nbregistry.analytics.rest;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.dataset.AnalysisRecord;
import org.nbregistry.analytics.dataset.Endpoint;
import org.nbregistry.analytics.plot.ForestSvg;
import org.nbregistry.analytics.plot.KaplanMeierSvg;
import org.nbregistry.analytics.plot.TimeUnit;
import org.nbregistry.analytics.statistics.AnalysisKey;
import org.nbregistry.analytics.statistics.Disclosure;
import org.nbregistry.analytics.statistics.SurvivalStatistics;
import org.nbregistry.analytics.survival.ConfType;
import org.nbregistry.analytics.survival.KaplanMeierCurve;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The served figures, from the same views as the JSON: well-formed SVG, one curve per group that may be shown, numbers
 * at risk equal to the Kaplan–Meier table's (and to the engine's own at-risk counts), and a forest plot marker per
 * estimated hazard ratio.
 */
class PlotsTest {

    private final List<AnalysisRecord> records = SampleCohort.records(40, 7);

    @Test
    void kaplanMeierByGroupDrawsOneCurvePerGroupWithItsNumbersAtRisk() throws Exception {
        SurvivalAnalysisView view = SampleCohort.survival(records, Endpoint.OS, "episode_type");
        Document svg = parse(KaplanMeierSvg.render(Plots.kaplanMeier(view, false, TimeUnit.DAYS)));

        List<Element> curves = byClass(svg, "path", "km-curve");
        assertEquals(List.of("refractory", "relapse_progression"), curves.stream().map(e -> e.getAttribute("data-group")).toList());
        assertTrue(byClass(svg, "path", "ci-band").isEmpty(), "no band unless asked");
        assertAtRiskEqualsTheTablesAndTheEngines(svg, view, new AnalysisKey(Endpoint.OS, "episode_type"));
        String test = byClass(svg, "text", "test-result").get(0).getTextContent();
        assertEquals(Plots.pValue(view.comparison().p()), test.substring("Log-rank ".length(), test.indexOf(" (")));
    }

    @Test
    void aSuppressedGroupIsNotDrawnAndANoteSaysWhyAsDoesTheWithheldTest() throws Exception {
        SurvivalAnalysisView view = SampleCohort.survival(records, Endpoint.EFS, "site");
        assertEquals(List.of(false, true, true), view.groups().stream().map(SurvivalAnalysisView.GroupSurvival::suppressed).toList(),
                "S03 has 4 episodes; S02 is withheld with it");
        Document svg = parse(KaplanMeierSvg.render(Plots.kaplanMeier(view, true, TimeUnit.DAYS)));

        List<Element> curves = byClass(svg, "path", "km-curve");
        assertEquals(List.of("S01"), curves.stream().map(e -> e.getAttribute("data-group")).toList());
        assertTrue(byClass(svg, "text", "at-risk").stream().allMatch(t -> t.getAttribute("data-group").equals("S01")));
        assertTrue(texts(svg, "note").contains("Not drawn: S03 — fewer than 5 episodes (disclosure control)"), texts(svg, "note").toString());
        assertTrue(texts(svg, "note").contains("Not drawn: S02 — " + Disclosure.COMPLEMENTARY_GROUP), texts(svg, "note").toString());
        assertEquals("Log-rank test withheld: a group has fewer than 5 episodes (disclosure control)",
                byClass(svg, "text", "test-result").get(0).getTextContent());
        assertEquals(1, byClass(svg, "path", "ci-band").size(), "one band per drawn curve");
        assertAtRiskEqualsTheTablesAndTheEngines(svg, view, new AnalysisKey(Endpoint.EFS, "site"));
    }

    @Test
    void anUngroupedPlotDrawsTheCohortAndNoTest() throws Exception {
        SurvivalAnalysisView view = SampleCohort.survival(records, Endpoint.OS, null);
        Document svg = parse(KaplanMeierSvg.render(Plots.kaplanMeier(view, false, TimeUnit.DAYS)));
        assertEquals(1, byClass(svg, "path", "km-curve").size());
        assertTrue(byClass(svg, "text", "test-result").isEmpty());
        int censoredDays = (int) view.overall().table().stream().filter(r -> r.censored() > 0).count();
        String marks = byClass(svg, "path", "censor-marks").get(0).getAttribute("d");
        assertEquals(censoredDays, marks.chars().filter(c -> c == 'M').count(), "one censor mark per day with censorings");
    }

    @Test
    void theForestPlotMarksEachEstimatedHazardRatioAndNoSuppressedOne() throws Exception {
        PredictorsView view = SampleCohort.predictors(records, Endpoint.OS);
        Document svg = parse(ForestSvg.render(Plots.forest(view)));

        List<String> expected = new ArrayList<>();
        view.predictors().forEach(p -> p.levels().stream().filter(l -> l.hazardRatio() != null)
                .forEach(l -> expected.add(p.label() + "/" + l.level())));
        List<String> drawn = byClass(svg, "rect", "hr-marker").stream()
                .map(e -> e.getAttribute("data-factor") + "/" + e.getAttribute("data-level")).toList();
        assertEquals(expected, drawn);
        assertTrue(drawn.contains("Episode type: refractory vs relapse/progression/relapse_progression"));
        assertFalse(drawn.stream().anyMatch(d -> d.startsWith("Treatment used: chemotherapy/")), "chemotherapy is withheld");
    }

    /** Every at-risk number equals the first KM row on or after its day, and the engine's n.risk at that day (R's summary(fit, times)). */
    private static void assertAtRiskEqualsTheTablesAndTheEngines(Document svg, SurvivalAnalysisView view, AnalysisKey key) {
        SurvivalStatistics stats = SurvivalStatistics.fromRecords(SampleCohort.records(40, 7), key);
        List<Element> atRisk = byClass(svg, "text", "at-risk");
        assertFalse(atRisk.isEmpty());
        for (Element e : atRisk) {
            String level = e.getAttribute("data-group");
            int day = Integer.parseInt(e.getAttribute("data-day"));
            SurvivalAnalysisView.GroupSurvival group = view.groups().stream().filter(g -> g.level().equals(level)).findFirst().orElseThrow();
            int fromTable = group.table().stream().filter(r -> r.day() >= day).mapToInt(SurvivalAnalysisView.CurveRow::atRisk)
                    .findFirst().orElse(0);
            KaplanMeierCurve curve = stats.curves().get(stats.groups().indexOf(level));
            int fromEngine = curve.survivalAt(new double[] {day}, ConfType.LOG, 0.95).get(0).nRisk();
            assertEquals(fromTable, Integer.parseInt(e.getTextContent()), level + " at day " + day);
            assertEquals(fromEngine, fromTable, level + " engine at day " + day);
        }
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        return doc;
    }

    static List<Element> byClass(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> texts(Document doc, String cssClass) {
        return byClass(doc, "text", cssClass).stream().map(Element::getTextContent).toList();
    }
}
