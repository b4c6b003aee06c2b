package org.nbregistry.analytics.plot;

import org.junit.jupiter.api.Test;
import org.nbregistry.analytics.plot.KaplanMeierChart.Curve;
import org.nbregistry.analytics.plot.KaplanMeierChart.Step;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer on its own: geometry of the steps, the band, axis ticks and escaping. */
class KaplanMeierSvgTest {

    private static final Curve CURVE = new Curve("a", List.of(
            new Step(10, 10, 1, 0, 0.9, 0.75, 1.0),
            new Step(40, 9, 0, 2, 0.9, 0.75, 1.0),
            new Step(100, 7, 7, 0, 0.0, null, null)));

    @Test
    void eachCurveIsAStepFunctionFromOneThroughEverySurvivalLevel() throws Exception {
        String svg = KaplanMeierSvg.render(chart(List.of(CURVE), false));
        Element path = curves(parse(svg)).get(0);
        String d = path.getAttribute("d");
        Matcher start = Pattern.compile("^M([0-9.]+) ([0-9.]+)").matcher(d);
        assertTrue(start.find(), d);
        double top = Double.parseDouble(start.group(2));
        List<Double> levels = new ArrayList<>();
        Matcher v = Pattern.compile("V([0-9.]+)").matcher(d);
        while (v.find()) {
            levels.add(1 - (Double.parseDouble(v.group(1)) - top) / 300);
        }
        assertEquals(List.of(0.9, 0.9, 0.0), levels.stream().map(x -> Math.round(x * 1000) / 1000.0).toList());
        assertEquals(3, d.chars().filter(c -> c == 'H').count(), "across to each step's day, then down");
    }

    @Test
    void theBandStopsWhereItsLimitsAreUndefined() throws Exception {
        Document doc = parse(KaplanMeierSvg.render(chart(List.of(CURVE), true)));
        NodeList paths = doc.getElementsByTagNameNS("*", "path");
        String band = null;
        for (int i = 0; i < paths.getLength(); i++) {
            Element e = (Element) paths.item(i);
            if (e.getAttribute("class").equals("ci-band")) {
                band = e.getAttribute("d");
            }
        }
        assertTrue(band != null && band.endsWith("Z"), band);
        // Two defined steps: start, and across/down at each on both the upper and the lower side.
        assertEquals(10, band.chars().filter(c -> c == 'L' || c == 'M').count(), band);
    }

    @Test
    void ticksFallOnDaysCliniciansQuote() {
        assertArrayEquals(new int[] {0, 365, 730, 1095, 1460}, KaplanMeierSvg.axis(1200, TimeUnit.DAYS).days());
        assertArrayEquals(new int[] {0, 90, 180, 270, 360, 450}, KaplanMeierSvg.axis(400, TimeUnit.DAYS).days());
        assertArrayEquals(new int[] {0, 1}, KaplanMeierSvg.axis(0, TimeUnit.DAYS).days());
    }

    @Test
    void inMonthsOrYearsTicksFallOnWholeUnitsOf365Point25Days() {
        KaplanMeierSvg.Axis months = KaplanMeierSvg.axis(1200, TimeUnit.MONTHS); // 39.4 months
        assertArrayEquals(new int[] {0, 12, 24, 36, 48}, months.labels());
        assertArrayEquals(new int[] {0, 365, 731, 1096, 1461}, months.days());
        assertEquals("Months from episode date", months.title());
        KaplanMeierSvg.Axis years = KaplanMeierSvg.axis(2000, TimeUnit.YEARS); // 5.5 years
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, years.labels());
        assertArrayEquals(new int[] {0, 365, 731, 1096, 1461, 1826, 2192}, years.days());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, KaplanMeierSvg.axis(100, TimeUnit.MONTHS).labels());
    }

    @Test
    void theFigureLabelsItsTimeAxisAndNumbersAtRiskInTheChosenUnit() throws Exception {
        Document doc = parse(KaplanMeierSvg.render(new KaplanMeierChart("t", List.of(), "S", List.of(CURVE), null, List.of(), false,
                TimeUnit.MONTHS)));
        assertEquals("Months from episode date", byClass(doc, "time-axis").get(0).getTextContent());
        assertEquals(List.of("0", "1", "2", "3", "4"), byClass(doc, "tick").stream().map(Element::getTextContent).toList());
        // At risk at 0 and at whole months: days 0, 30, 61, 91, 122.
        assertEquals(List.of("0", "30", "61", "91", "122"),
                byClass(doc, "at-risk").stream().map(e -> e.getAttribute("data-day")).toList());
    }

    @Test
    void atRiskIsTheFirstRowOnOrAfterTheDayAndZeroBeyondTheLast() {
        assertEquals(10, CURVE.atRisk(0));
        assertEquals(10, CURVE.atRisk(10));
        assertEquals(9, CURVE.atRisk(11));
        assertEquals(7, CURVE.atRisk(100));
        assertEquals(0, CURVE.atRisk(101));
    }

    @Test
    void textFromTheDataIsEscapedAndNumbersIgnoreTheLocale() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Curve odd = new Curve("<b>&\"'", CURVE.steps());
            Document doc = parse(KaplanMeierSvg.render(new KaplanMeierChart("T & <t>", List.of("s\u0001"), "S", List.of(odd),
                    null, List.of(), false, TimeUnit.DAYS)));
            assertEquals("<b>&\"'", curves(doc).get(0).getAttribute("data-group"));
            assertTrue(curves(doc).get(0).getAttribute("d").matches("[MHV0-9. ]+"), "no decimal commas");
            assertNull(doc.getDoctype());
        } finally {
            Locale.setDefault(before);
        }
    }

    private static KaplanMeierChart chart(List<Curve> curves, boolean band) {
        return new KaplanMeierChart("title", List.of("sub"), "Overall survival probability", curves, "Log-rank p = 0.5", List.of("note"), band,
                TimeUnit.DAYS);
    }

    private static List<Element> byClass(Document doc, String cssClass) {
        NodeList all = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "*");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> curves(Document doc) {
        NodeList paths = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < paths.getLength(); i++) {
            Element e = (Element) paths.item(i);
            if (e.getAttribute("class").equals("km-curve")) {
                out.add(e);
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
