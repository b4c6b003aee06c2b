package org.nbregistry.analytics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbregistry.contracts.KafkaProbe;
import org.nbregistry.local.infra.RealInfrastructureResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nbregistry.analytics.RegistryEvents.EPISODES;
import static org.nbregistry.analytics.RegistryEvents.TREATMENTS;

/** The Kaplan–Meier and forest plots (SVG) and the CSV exports over HTTP, for a cohort sent through Kafka. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructureResource.class, initArgs = {
        @ResourceArg(name = RealInfrastructureResource.SERVERS, value = "kafka,mongodb")})
class FiguresAndExportsIT {

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    /**
     * One cohort for the class: at this site 5 refractory and 6 relapse episodes, immunotherapy for 6 of them; 2 more
     * episodes at site X (a suppressed group) and 6 at site Y (withheld with it, else X = all − site − Y).
     */
    private static String site;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void cohort() {
        if (site != null) {
            return;
        }
        String s = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        try (KafkaProbe kafka = new KafkaProbe(bootstrapServers)) {
            for (int p = 0; p < 11; p++) {
                String patient = s + "-P" + p;
                kafka.send(EPISODES, patient, RegistryEvents.episode(patient, s, "EP-1", p < 5 ? "refractory" : "relapse", "2021-01-01", 1));
                // Both types followed over the same days, so that the hazard ratio is finite.
                String last = LocalDate.of(2021, 1, 1).plusDays(60L * (p % 5 + 1) + p).toString();
                kafka.send(EPISODES, patient, RegistryEvents.followUp(patient, s, last, p % 2 == 0 ? last : null));
                if (p < 6) {
                    kafka.send(TREATMENTS, patient, RegistryEvents.treatment(patient, s, "EP-1", "immunotherapy", "2021-01-05"));
                }
            }
            for (int p = 0; p < 8; p++) {
                String other = s + (p < 2 ? "X" : "Y");
                String patient = other + "-P" + p;
                kafka.send(EPISODES, patient, RegistryEvents.episode(patient, other, "EP-1", "relapse", "2021-02-01", 1));
                String last = LocalDate.of(2021, 2, 1).plusDays(45L * (p + 1)).toString();
                kafka.send(EPISODES, patient, RegistryEvents.followUp(patient, other, last, p % 3 == 0 ? last : null));
            }
        }
        // The two sites together are shown once more than 4 of their episodes have arrived.
        RegistryEvents.await(() -> json("/v1/survival?endpoint=OS&site=" + s + "X," + s + "Y"),
                a -> !a.getBoolean("overall.suppressed") && a.getInt("overall.n") == 8);
        RegistryEvents.await(() -> json("/v1/survival?endpoint=OS&groupBy=immunotherapy&site=" + s), a -> {
            try {
                return a.getInt("overall.n") == 11 && a.getInt("overall.events") == 6 && a.getList("groups.level").equals(List.of("no", "yes"))
                        && a.getInt("groups[1].n") == 6;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        site = s;
    }

    @Test
    void theKaplanMeierPlotDrawsEachGroupWithItsBandAndTheTablesNumbersAtRisk() throws Exception {
        String query = "/v1/survival?endpoint=OS&groupBy=episode_type&site=" + site;
        JsonPath answer = json(query);
        Response response = given().get(query + "&format=svg&ciBand=true").then().statusCode(200)
                .contentType(startsWith("image/svg+xml")).extract().response();
        Document svg = parse(response.asString());

        assertEquals(List.of("refractory", "relapse_progression"), attribute(byClass(svg, "path", "km-curve"), "data-group"));
        assertEquals(2, byClass(svg, "path", "ci-band").size());
        for (Element e : byClass(svg, "text", "at-risk")) {
            String group = e.getAttribute("data-group");
            int day = Integer.parseInt(e.getAttribute("data-day"));
            List<Map<String, Object>> table = answer.getList("groups.find { it.level == '" + group + "' }.table");
            int expected = table.stream().filter(r -> (Integer) r.get("day") >= day).map(r -> (Integer) r.get("atRisk")).findFirst().orElse(0);
            assertEquals(expected, Integer.parseInt(e.getTextContent()), group + " at risk on day " + day);
        }
        assertEquals(String.format(Locale.ROOT, "p = %.3f", answer.getDouble("comparison.p")),
                byClass(svg, "text", "test-result").get(0).getTextContent().replaceAll("^Log-rank (p [=<] [0-9.]+).*$", "$1"));
    }

    @Test
    void suppressedGroupsAreLeftOutOfThePlotWithANote() throws Exception {
        Document svg = parse(given().get("/v1/survival?endpoint=OS&groupBy=site&format=svg&site=" + threeSites()).then().statusCode(200)
                .extract().asString());
        assertEquals(List.of(site), attribute(byClass(svg, "path", "km-curve"), "data-group"));
        List<String> notes = byClass(svg, "text", "note").stream().map(Element::getTextContent).toList();
        assertTrue(notes.contains("Not drawn: " + site + "X — fewer than 5 episodes (disclosure control)"), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("Not drawn: " + site + "Y — withheld so that")), notes.toString());
        assertTrue(byClass(svg, "text", "test-result").get(0).getTextContent().startsWith("Log-rank test withheld"));
    }

    @Test
    void theKaplanMeierCsvHasTheJsonTablesRows() {
        String query = "/v1/survival?endpoint=OS&groupBy=site&site=" + threeSites();
        JsonPath answer = json(query);
        Response response = given().get(query + "&format=csv").then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", startsWith("attachment; filename=\"survival-OS-by-site-v")).extract().response();
        List<String[]> rows = csv(response.asString());
        assertEquals("group,suppressed,suppression_reason,day,at_risk,events,censored,survival,std_err,lower,upper", String.join(",", rows.get(0)));
        List<Map<String, Object>> noTable = answer.getList("groups[0].table");
        assertEquals(site, answer.getString("groups[0].level"));
        List<String[]> no = rows.stream().filter(r -> r[0].equals(site)).toList();
        assertEquals(noTable.size(), no.size());
        for (int i = 0; i < no.size(); i++) {
            assertEquals(noTable.get(i).get("day").toString(), no.get(i)[3]);
            assertEquals(noTable.get(i).get("atRisk").toString(), no.get(i)[4]);
            assertEquals(((Number) noTable.get(i).get("survival")).doubleValue(), Double.parseDouble(no.get(i)[7]), 0.0);
        }
        List<String[]> small = rows.stream().filter(r -> r[0].equals(site + "X")).toList();
        assertEquals(1, small.size(), "a suppressed group is one row without numbers");
        assertEquals(List.of("true", "fewer than 5 episodes (disclosure control)", ""), Arrays.asList(small.get(0)).subList(1, 4));
        List<String[]> complement = rows.stream().filter(r -> r[0].equals(site + "Y")).toList();
        assertEquals(1, complement.size(), "the next smallest group is withheld the same way");
        assertEquals(answer.getString("groups[2].suppressionReason"), complement.get(0)[2]);
        assertTrue(complement.get(0)[2].startsWith("withheld so that"), complement.get(0)[2]);
        assertEquals(answer.getList("overall.table").size(), rows.stream().filter(r -> r[0].equals("all")).count());
    }

    @Test
    void thePredictorsComeAsAForestPlotAndAsCsv() throws Exception {
        String query = "/v1/predictors?endpoint=OS&site=" + site;
        JsonPath answer = json(query);
        Document svg = parse(given().get(query + "&format=svg").then().statusCode(200).contentType(startsWith("image/svg+xml"))
                .extract().asString());
        List<String> markers = attribute(byClass(svg, "rect", "hr-marker"), "data-level");
        assertEquals(List.of("relapse_progression", "yes"), markers, "episode type and immunotherapy have two levels above the threshold");
        assertEquals(answer.getString("predictors.find { it.factor == 'episode_type' }.label"),
                byClass(svg, "rect", "hr-marker").get(0).getAttribute("data-factor"));

        List<String[]> rows = csv(given().get(query + "&format=csv").then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asString());
        String[] relapse = rows.stream().filter(r -> r[0].equals("episode_type") && r[2].equals("relapse_progression")).findFirst().orElseThrow();
        double hr = answer.getDouble("predictors.find { it.factor == 'episode_type' }.levels.find { it.level == 'relapse_progression' }.hazardRatio");
        assertEquals(hr, Double.parseDouble(relapse[9]), 1e-12);
        List<String[]> bySite = csv(given().get("/v1/predictors?endpoint=OS&format=csv&site=" + threeSites()).then().statusCode(200)
                .extract().asString()).stream().filter(r -> r[0].equals("site")).toList();
        assertEquals(List.of(site, site + "X", site + "Y"), bySite.stream().map(r -> r[2]).toList());
        assertEquals(List.of("true", "true", "true"), bySite.stream().map(r -> r[4]).toList(), "the comparison is withheld for every level");
        assertEquals(List.of("11", "", ""), bySite.stream().map(r -> r[6]).toList(), "n only for the level that is shown");
    }

    @Test
    void anUnknownFormatIsAProblemNamingTheParameter() {
        given().get("/v1/survival?endpoint=OS&format=pdf").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("format")).body("errors[0].rule", equalTo("enum"));
        given().get("/v1/predictors?endpoint=OS&format=xlsx").then().statusCode(400).body("errors[0].field", equalTo("format"));
        given().get("/v1/survival?endpoint=OS&format=svg&ciBand=maybe").then().statusCode(400).body("errors[0].field", equalTo("ciBand"));
        given().get("/v1/survival?endpoint=OS&format=svg&timeUnit=Weeks").then().statusCode(400)
                .body("errors[0].field", equalTo("timeUnit")).body("errors[0].rule", equalTo("enum"));
    }

    @Test
    void theTimeAxisIsInTheUnitAskedFor() throws Exception {
        String query = "/v1/survival?endpoint=OS&groupBy=episode_type&site=" + site + "&format=svg&timeUnit=";
        for (String[] unit : new String[][] {{"months", "Months from episode date"}, {"years", "Years from episode date"}}) {
            Document svg = parse(given().get(query + unit[0]).then().statusCode(200).extract().asString());
            assertEquals(unit[1], byClass(svg, "text", "time-axis").get(0).getTextContent(), unit[0]);
            assertEquals("0", byClass(svg, "text", "tick").get(0).getTextContent(), unit[0]);
        }
    }

    private static String threeSites() {
        return site + "," + site + "X," + site + "Y";
    }

    private static JsonPath json(String path) {
        // Doubles, not RestAssured's default floats: the CSV is compared at full precision.
        return given().get(path).then().statusCode(200).contentType(startsWith("application/json")).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertEquals(SVG_NS, doc.getDocumentElement().getNamespaceURI());
        return doc;
    }

    private static List<Element> byClass(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagNameNS(SVG_NS, tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> attribute(List<Element> elements, String name) {
        return elements.stream().map(e -> e.getAttribute(name)).toList();
    }

    /** These exports quote only free text, and never a line break: split on CRLF, then on commas outside quotes. */
    private static List<String[]> csv(String text) {
        assertTrue(text.endsWith("\r\n"), "RFC 4180 line ends");
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            rows.add(Arrays.stream(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                    .map(f -> f.startsWith("\"") ? f.substring(1, f.length() - 1).replace("\"\"", "\"") : f).toArray(String[]::new));
        }
        return rows;
    }
}
