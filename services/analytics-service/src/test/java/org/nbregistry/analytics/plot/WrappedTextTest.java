package org.nbregistry.analytics.plot;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Titles, subtitles and notes wrap inside the figure instead of running off its right or bottom edge. */
class WrappedTextTest {

    private static final String TITLE = "Overall survival by response or stabilisation (CR, PR, MR or SD by INRC 2017) "
            + "after the episode's first treatment line, landmark at day 180, first episodes only";
    private static final String NOTE = "Not drawn: no response or stabilisation — fewer than 5 episodes (disclosure control), "
            + "and the complementary group is withheld as well, so that the suppressed group's size cannot be worked out";

    @Test
    void wrappingBreaksAtSpacesAndKeepsEveryCharacter() {
        List<String> lines = Svg.wrap(NOTE, 300, 12);
        assertTrue(lines.size() > 1, lines.toString());
        assertEquals(NOTE, String.join("", lines));
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(line.endsWith(" "), "broken at a space: '" + line + "'");
            assertTrue(line.stripTrailing().length() * 12 * Svg.CHAR_WIDTH <= 300, line);
        }
        assertEquals(List.of("short"), Svg.wrap("short", 300, 12));
        assertEquals("x".repeat(200), String.join("", Svg.wrap("x".repeat(200), 300, 12)), "a word longer than a line is broken inside");
    }

    @Test
    void aLongKaplanMeierTitleAndNotesStayInsideTheFigure() throws Exception {
        KaplanMeierChart chart = new KaplanMeierChart(TITLE, List.of("n = 120 episodes, 80 events", NOTE), "Overall survival probability",
                List.of(new KaplanMeierChart.Curve("a", List.of(new KaplanMeierChart.Step(100, 10, 1, 0, 0.9, 0.7, 1.0)))),
                "Log-rank p = 0.04 " + NOTE, List.of(NOTE, "Ticks on a curve mark censored episodes."), true, TimeUnit.YEARS);
        Document svg = parse(KaplanMeierSvg.render(chart));
        assertInside(svg);
        assertEquals(TITLE, texts(svg, "title").get(0));
        assertEquals(List.of(NOTE, "Ticks on a curve mark censored episodes."), texts(svg, "note"));
    }

    @Test
    void aForestPlotsTitleSuppressionSummariesAndNotesStayInsideTheFigure() throws Exception {
        ForestChart chart = new ForestChart(TITLE, List.of("All sites"), List.of(
                new ForestChart.Section("Response", "withheld: " + NOTE, List.of(new ForestChart.Row("CR", "—", null, "withheld"))),
                new ForestChart.Section("MYCN", "log-rank p = 0.01", List.of(
                        new ForestChart.Row("no", "40 / 20", null, "reference"),
                        new ForestChart.Row("yes", "20 / 15", new ForestChart.Estimate(2.1, 1.1, 4.0), "2.10 (1.10–4.00), p = 0.02")))),
                List.of(NOTE, NOTE));
        Document svg = parse(ForestSvg.render(chart));
        assertInside(svg);
        assertEquals(List.of(NOTE, NOTE), texts(svg, "note"));
        assertEquals("withheld: " + NOTE, texts(svg, "factor-summary").get(0));
    }

    /** Every line of text, at its estimated width, ends left of the right edge and sits above the bottom edge. */
    private static void assertInside(Document svg) {
        Element root = svg.getDocumentElement();
        double width = Double.parseDouble(root.getAttribute("width"));
        double height = Double.parseDouble(root.getAttribute("height"));
        NodeList texts = svg.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element text = (Element) texts.item(i);
            if (!text.getAttribute("text-anchor").isEmpty()) {
                continue; // axis labels and counts are centred or right-aligned on short numbers
            }
            double size = text.getAttribute("font-size").isEmpty() ? 12 : Double.parseDouble(text.getAttribute("font-size"));
            double x = Double.parseDouble(text.getAttribute("x"));
            double y = Double.parseDouble(text.getAttribute("y"));
            NodeList spans = text.getElementsByTagNameNS("*", "tspan");
            List<String> lines = new ArrayList<>();
            for (int s = 0; s < spans.getLength(); s++) {
                Element span = (Element) spans.item(s);
                y += span.getAttribute("dy").isEmpty() ? 0 : Double.parseDouble(span.getAttribute("dy"));
                lines.add(span.getTextContent());
            }
            if (lines.isEmpty()) {
                lines.add(text.getTextContent());
            }
            for (String line : lines) {
                assertTrue(x + line.stripTrailing().length() * size * Svg.CHAR_WIDTH <= width, "runs off the right edge: " + line);
            }
            assertTrue(y < height, "below the bottom edge (" + y + " of " + height + "): " + text.getTextContent());
        }
    }

    private static List<String> texts(Document doc, String cssClass) {
        List<String> out = new ArrayList<>();
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element e = (Element) texts.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e.getTextContent());
            }
        }
        return out;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
