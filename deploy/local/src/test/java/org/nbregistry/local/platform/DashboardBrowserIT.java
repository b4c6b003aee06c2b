package org.nbregistry.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nbregistry.contracts.Eventually;
import org.nbregistry.contracts.RAnswers;
import org.nbregistry.local.infra.ServersDistribution;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Pdf;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.print.PrintOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The analysts' dashboard in a real headless Chromium, on the whole platform with the demo cohort: an analyst signs in
 * with a token, groups the curves by a factor and reads the same numbers the API answers, and while the page stays
 * open a death submitted at intake changes the overall-survival curve and its counts without a reload. Screenshots
 * and a printout are written to target/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Path DATA = Path.of("target", "it-data", "dashboard").toAbsolutePath();
    private static final Path SHOTS = Path.of("target", "dashboard");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "WEB";
    private static final String FACTOR = "mycn_amplified";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private static PlatformOptions options;
    private static Platform platform;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String analystToken;
    private static String siteToken;
    private static final Set<ProcessHandle> processes = new LinkedHashSet<>();

    @BeforeAll
    static void startPlatformAndBrowser() throws Exception {
        HeadlessChromium.ensureInstalled();
        options = TestPlatforms.freshOnFreePorts(DATA, "--demo");
        platform = new Platform(options, ServersDistribution.repositoryRoot(), Map.of());
        platform.start();
        processes.addAll(TestPlatforms.processesOf(DATA));
        DevKeys keys = DevKeys.ensure(DATA);
        analystToken = DevTokens.mint(keys, null, DevTokens.ANALYST_ROLE, "dashboard-analyst", Duration.ofHours(1));
        siteToken = DevTokens.mint(keys, SITE, DevTokens.SITE_ROLE, "dashboard@" + SITE, Duration.ofHours(1));
        int episodes = RAnswers.resource("demo-fixture/os.expected.json").path("meta").path("n_rows").asInt();
        await("analytics with the whole demo cohort", () -> api("/v1/cohort/summary"), s -> s.path("episodes").path("count").asInt() >= episodes);
        Files.createDirectories(SHOTS);
        browser = HeadlessChromium.start(1400, 3200);
        wait = new WebDriverWait(browser, DEADLINE);
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.stop();
        }
        List<ProcessHandle> left = TestPlatforms.awaitGone(processes, DATA);
        left.forEach(ProcessHandle::destroyForcibly);
        assertTrue(left.isEmpty(), "still running after the platform stopped: " + TestPlatforms.describe(left));
    }

    /** The page is public and locked down; the statistics are not. */
    @Test
    @Order(0)
    void thePageNeedsNoTokenAndCarriesAStrictContentSecurityPolicyWhileTheDataStillDoes() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(analytics("/dashboard/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), csp);
        assertFalse(page.body().matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "no inline script");
        for (String asset : List.of("app.js", "api.js", "charts.js", "dashboard.css")) {
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(analytics("/dashboard/" + asset)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), asset);
        }
        HttpResponse<Void> bare = HTTP.send(HttpRequest.newBuilder(analytics("/dashboard")).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(302, bare.statusCode());
        assertEquals("/dashboard/", bare.headers().firstValue("Location").orElse(""));
        for (String path : List.of("/v1/factors", "/v1/survival/os", "/v1/statistics/stream")) {
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(analytics(path)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode(), path);
        }
    }

    @Test
    @Order(1)
    void aSiteTokenIsRefusedWithTheReason() {
        browser.get(analytics("/dashboard").toString());
        signIn(siteToken);
        wait.until(d -> !text("sign-in-error").isEmpty());
        assertTrue(text("sign-in-error").contains("403"), text("sign-in-error"));
        assertTrue(browser.findElement(By.id("main")).getDomAttribute("hidden") != null, "the analyses stay hidden");
    }

    @Test
    @Order(2)
    void anAnalystSeesTheCurvesAndNumbersTheApiAnswersGroupedByAFactor() throws Exception {
        browser.get(analytics("/dashboard/").toString());
        signIn(analystToken);
        wait.until(d -> !d.findElements(By.cssSelector("#km-figure path.km-curve")).isEmpty());

        browser.findElement(By.cssSelector("input[name=endpoint][value=OS]")).click();
        new Select(browser.findElement(By.id("group-by"))).selectByValue(FACTOR);
        wait.until(d -> d.findElements(By.cssSelector("#km-figure path.km-curve")).size() > 1
                && d.findElement(By.cssSelector("#km-figure .title")).getText().startsWith("Overall survival by"));
        wait.until(d -> !d.findElements(By.cssSelector("#predictors-table tbody")).isEmpty());

        JsonNode api = api("/v1/survival?endpoint=OS&groupBy=" + FACTOR + "&times=365,730,1095");
        assertEquals(api.path("datasetVersion").asText(), browser.findElement(By.id("dataset-version")).getDomAttribute("data-version"),
                "the page shows the answer's dataset version");
        int drawn = 0;
        for (JsonNode group : api.path("groups")) {
            String level = group.path("level").asText();
            WebElement row = browser.findElement(By.cssSelector("#km-estimates tr[data-group='" + level + "']"));
            if (group.path("suppressed").asBoolean()) {
                assertTrue(row.getText().contains("withheld"), row.getText());
                continue;
            }
            drawn++;
            WebElement curve = browser.findElement(By.cssSelector("#km-figure path.km-curve[data-group='" + level + "']"));
            assertEquals(group.path("n").asText(), curve.getDomAttribute("data-n"), level);
            assertEquals(group.path("events").asText(), curve.getDomAttribute("data-events"), level);
            // One step down or across per row of the API's table.
            assertEquals(group.path("table").size(), curve.getDomAttribute("d").chars().filter(c -> c == 'V').count(), level + " steps");
            assertEquals(group.path("n").asText(), row.findElement(By.cssSelector("[data-field=n]")).getText(), level);
            assertEquals(group.path("events").asText(), row.findElement(By.cssSelector("[data-field=events]")).getText(), level);
            for (JsonNode estimate : group.path("estimates")) {
                if (estimate.path("estimable").asBoolean()) {
                    String shown = row.findElement(By.cssSelector("[data-day='" + estimate.path("day").asInt() + "']")).getText();
                    assertEquals(percent(estimate.path("survival")) + " (" + percent(estimate.path("lower")) + "–" + percent(estimate.path("upper")) + ")",
                            shown, level + " at day " + estimate.path("day"));
                }
            }
            for (WebElement atRisk : browser.findElements(By.cssSelector("#km-figure text.at-risk[data-group='" + level + "']"))) {
                int day = Integer.parseInt(atRisk.getDomAttribute("data-day"));
                assertEquals(atRisk(group.path("table"), day), Integer.parseInt(atRisk.getText()), level + " at risk on day " + day);
            }
        }
        assertTrue(drawn >= 2, "the factor has two drawn levels in the demo cohort");
        JsonNode comparison = api.path("comparison");
        assertTrue(text("km-test").contains(pValue(comparison.path("p").asDouble())), text("km-test") + " vs " + comparison);
        assertFalse(browser.findElements(By.cssSelector("#km-figure path.censor-marks")).isEmpty(), "censored episodes are marked");

        JsonNode predictors = api("/v1/predictors?endpoint=OS");
        int hazardRatios = 0;
        for (JsonNode factor : predictors.path("predictors")) {
            for (JsonNode level : factor.path("levels")) {
                if (level.hasNonNull("hazardRatio")) {
                    WebElement cell = browser.findElement(By.cssSelector("#predictors-table tr[data-factor='" + factor.path("factor").asText()
                            + "'][data-level='" + level.path("level").asText() + "'] td[data-hr]"));
                    assertEquals(level.path("hazardRatio").asDouble(), Double.parseDouble(cell.getDomAttribute("data-hr")), factor + " " + level);
                    hazardRatios++;
                }
            }
        }
        assertTrue(hazardRatios > 0 && browser.findElements(By.cssSelector("#predictors-table rect.hr-marker")).size() == hazardRatios,
                "one forest marker per hazard ratio");

        JsonNode summary = api("/v1/cohort/summary");
        assertEquals(summary.path("episodes").path("count").asText(),
                browser.findElement(By.cssSelector("#summary-table tr[data-level='Episodes'] td")).getDomAttribute("data-count"));
        assertFalse(browser.findElements(By.cssSelector("#cif-figure path.cif-curve")).isEmpty(), "competing-risks curves");

        theTestsPanelAndSummariesShowWhatTheApiAnswers();

        // The band on request, and the time axis in months: drawn again from the same answer.
        browser.findElement(By.id("ci-band")).click();
        new Select(browser.findElement(By.id("time-unit"))).selectByValue("months");
        wait.until(d -> !d.findElements(By.cssSelector("#km-figure path.ci-band")).isEmpty()
                && d.findElement(By.cssSelector("#km-figure .x-label")).getText().startsWith("Months"));
        screenshot("dashboard-grouped");
        // The first screenful, as in the README (docs/dashboard.png).
        BufferedImage page = ImageIO.read(SHOTS.resolve("dashboard-grouped.png").toFile());
        ImageIO.write(page.getSubimage(0, 0, page.getWidth(), Math.min(page.getHeight(), 1290)), "png", SHOTS.resolve("dashboard-top.png").toFile());

        // An ordered factor: the trend test and the pairwise tests, Bonferroni-adjusted, on the years whose every level is
        // above the disclosure threshold in the demo cohort (its first and last years are not).
        setValue("f-from", "2020-01-01");
        setValue("f-to", "2024-12-31");
        new Select(browser.findElement(By.id("f-adjust"))).selectByValue("bonferroni");
        new Select(browser.findElement(By.id("group-by"))).selectByValue("period");
        JsonNode byPeriod = api("/v1/survival?endpoint=OS&groupBy=period&times=365,730,1095&tau=1095&rho=1&strata=site"
                + "&from=2020-01-01&to=2024-12-31");
        assertFalse(byPeriod.path("tests").path("suppressed").asBoolean(), "every year 2020-2024 is shown: " + byPeriod.path("tests"));
        assertTrue(byPeriod.path("tests").path("pairwise").size() >= 3 && byPeriod.path("tests").hasNonNull("trend"), "pairwise and trend");
        wait.until(d -> !d.findElements(By.cssSelector("#km-tests-body tr[data-test=trend]")).isEmpty()
                && !d.findElements(By.cssSelector("#km-pairwise")).isEmpty() && text("km-pairwise").contains("Bonferroni"));
        assertTestsShown(byPeriod);
        screenshot("dashboard-by-period");
        setValue("f-from", "");
        setValue("f-to", "");
        wait.until(d -> !d.findElement(By.id("km-figure")).getDomProperty("textContent").contains("episodes 2020"));
    }

    /** Sets a field as a date picker would, with the change event the page listens for. */
    private static void setValue(String id, String value) {
        ((JavascriptExecutor) browser).executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('change', {bubbles: true}));", id, value);
    }

    /** Peto–Peto stratified by site, quantiles, median follow-up and RMST at 3 years: shown and downloaded as the API answers. */
    private void theTestsPanelAndSummariesShowWhatTheApiAnswers() throws Exception {
        WebElement rho = browser.findElement(By.id("f-rho"));
        rho.sendKeys(Keys.END); // keyboard: the last option, Peto–Peto
        new Select(browser.findElement(By.id("f-strata"))).selectByValue("site");
        wait.until(d -> text("km-tests-body").contains("Peto–Peto test stratified by") || text("km-tests-body").contains("withheld"));
        JsonNode api = api("/v1/survival?endpoint=OS&groupBy=" + FACTOR + "&times=365,730,1095&tau=1095&rho=1&strata=site");
        assertEquals(1.0, api.path("rho").asDouble());
        List<JsonNode> groups = new java.util.ArrayList<>(List.of(api.path("overall")));
        api.path("groups").forEach(groups::add);
        for (JsonNode g : groups) {
            String level = g == api.path("overall") ? "All episodes" : g.path("level").asText();
            WebElement row = browser.findElement(By.cssSelector("#km-summaries tr[data-group='" + level + "']"));
            if (g.path("suppressed").asBoolean()) {
                assertTrue(row.getText().contains("withheld"), row.getText());
                continue;
            }
            Map<String, Integer> fields = new java.util.LinkedHashMap<>(Map.of("medianFollowUp/days", 0, "medianFollowUp/lower", 0,
                    "medianFollowUp/upper", 0, "rmst/mean", 1, "rmst/stdErr", 1));
            for (int i = 0; i < api.path("probs").size(); i++) {
                for (String f : List.of("days", "lower", "upper")) {
                    fields.put("quantiles/" + i + "/" + f, 0);
                }
            }
            assertNumbers(row, g, fields, level);
        }
        assertTestsShown(api);

        // The CSV of the view, as the browser would save it: its test and follow-up rows are the API's.
        ((JavascriptExecutor) browser).executeScript("window.savedBlobs = []; const original = URL.createObjectURL;"
                + "URL.createObjectURL = b => { window.savedBlobs.push(b); return original(b); };");
        browser.findElement(By.cssSelector("[data-download=survival-csv]")).sendKeys(Keys.ENTER);
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.savedBlobs.length;")).intValue() > 0);
        String csv = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.savedBlobs[0].text().then(done);");
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(","));
        Map<String, String> followUp = csvRow(csv, header, "median_follow_up", "All episodes");
        assertEquals(api.path("overall").path("medianFollowUp").path("days").asDouble(), Double.parseDouble(followUp.get("estimate")));
        if (!api.path("tests").path("suppressed").asBoolean()) {
            assertEquals(api.path("tests").path("gRho").path("p").asDouble(), Double.parseDouble(csvRow(csv, header, "test", "").get("p")));
            assertEquals(api.path("tests").path("stratified").path("chiSquare").asDouble(),
                    Double.parseDouble(csvRow(csv, header, "test_stratified", "").get("chi_square")));
        }
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("curve,")), "the curves are in the CSV");
    }

    private static void assertTestsShown(JsonNode api) {
        WebElement panel = browser.findElement(By.id("km-tests-body"));
        JsonNode tests = api.path("tests");
        if (tests.path("suppressed").asBoolean()) {
            assertTrue(panel.getText().contains("withheld"), panel.getText());
            return;
        }
        Map<String, Integer> fields = new java.util.LinkedHashMap<>();
        for (String test : List.of("gRho", "stratified", "trend")) {
            boolean expected = tests.hasNonNull(test) && (!test.equals("trend") || api.path("groupBy").asText().equals("period"));
            assertEquals(expected, !panel.findElements(By.cssSelector("tr[data-test='" + test + "']")).isEmpty(), test + " shown");
            if (expected) {
                fields.putAll(Map.of(test + "/chiSquare", 2, test + "/df", 0, test + "/p", P));
            }
        }
        for (int i = 0; i < tests.path("gRho").path("levels").size(); i++) {
            fields.putAll(Map.of("gRho/levels/" + i + "/n", 0, "gRho/levels/" + i + "/observed", 2, "gRho/levels/" + i + "/expected", 2));
        }
        String adjusted = new Select(browser.findElement(By.id("f-adjust"))).getFirstSelectedOption().getDomAttribute("value")
                .equals("holm") ? "pHolm" : "pBonferroni";
        for (int i = 0; i < tests.path("pairwise").size(); i++) {
            fields.putAll(Map.of("pairwise/" + i + "/chiSquare", 2, "pairwise/" + i + "/p", P, "pairwise/" + i + "/" + adjusted, P));
        }
        for (int i = 0; i < tests.path("rmstDifferences").size(); i++) {
            fields.putAll(Map.of("rmstDifferences/" + i + "/difference", 1, "rmstDifferences/" + i + "/stdErr", 1,
                    "rmstDifferences/" + i + "/p", P));
        }
        assertTrue(tests.path("rmstDifferences").size() > 0, "RMST differences at tau");
        assertNumbers(panel, tests, fields, "tests");
        assertTrue(text("km-test").contains(pValue(tests.path("gRho").path("p").asDouble())), text("km-test"));
    }

    /** A multivariable model fitted by keyboard alone; every number shown is the API's for the same parameters. */
    @Test
    @Order(3)
    void aMultivariableModelFittedByKeyboardShowsTheApisNumbers() throws Exception {
        for (String factor : List.of("episode_type", FACTOR)) {
            WebElement term = browser.findElement(By.cssSelector("#model-terms input[value='" + factor + "']"));
            term.sendKeys(Keys.SPACE);
            assertTrue(term.isSelected(), "a term is chosen with the space bar");
            assertTrue(term.findElement(By.xpath("..")).getText().length() > 0, "each term has a visible label");
        }
        browser.findElement(By.id("model-cluster")).sendKeys(Keys.SPACE);
        browser.findElement(By.id("model-fit")).sendKeys(Keys.ENTER);
        wait.until(d -> !d.findElements(By.cssSelector("#model-coefficients tbody tr")).isEmpty() || text("model-message").contains("could not"));
        assertEquals("", text("model-message"));
        JsonNode m = api("/v1/models/cox?endpoint=OS&terms=episode_type," + FACTOR + "&cluster=patient&ties=efron");
        assertTrue(m.path("cluster").asBoolean());
        if (m.hasNonNull("n")) {
            assertNumbers(browser.findElement(By.id("model-counts")), m, Map.of("n", 0, "events", 0, "droppedForMissing", 0), "counts");
        } else {
            assertTrue(text("model-counts").contains("withheld"), text("model-counts"));
        }
        JsonNode coefficients = m.path("coefficients");
        assertEquals(coefficients.size(), browser.findElements(By.cssSelector("#model-coefficients tbody tr")).size(), "one row per coefficient");
        int estimated = 0;
        for (int i = 0; i < coefficients.size(); i++) {
            JsonNode c = coefficients.path(i);
            WebElement row = browser.findElement(By.cssSelector("#model-coefficients tr[data-index='" + i + "']"));
            assertEquals(c.path("level").asText(), row.getDomAttribute("data-level"));
            if (c.path("suppressed").asBoolean()) {
                assertTrue(row.getText().contains("withheld"), row.getText());
            } else if (!c.path("estimate").asText().equals("estimated")) {
                assertTrue(row.getText().contains(c.path("estimate").asText().replace('_', ' ')), row.getText());
            } else {
                assertNumbers(row, c, Map.of("coefficient", 4, "stdErr", 4, "robustStdErr", 4, "z", 3, "p", P, "hazardRatio", 2,
                        "lower95", 2, "upper95", 2), "coefficient " + c);
                estimated++;
            }
        }
        assertTrue(estimated > 0 || m.hasNonNull("suppressed"), "a coefficient is shown unless withheld");
        for (String test : List.of("likelihoodRatio", "wald", "score", "robustScore")) {
            List<WebElement> rows = browser.findElements(By.cssSelector("#model-tests tr[data-test='" + test + "']"));
            assertEquals(m.path("tests").hasNonNull(test), !rows.isEmpty(), test + " shown");
            if (!rows.isEmpty()) {
                assertNumbers(rows.get(0), m.path("tests").path(test), Map.of("statistic", 3, "df", 0, "p", P), test);
            }
        }
        assertNumbers(browser.findElement(By.cssSelector("#model-tests tr[data-test='concordance']")), m.path("concordance"),
                Map.of("value", 3, "stdErr", 3), "concordance");
        JsonNode zph = m.path("proportionalHazards");
        assertTrue(zph.size() > 0, "cox.zph");
        assertEquals(zph.size(), browser.findElements(By.cssSelector("#model-zph tbody tr")).size());
        for (int i = 0; i < zph.size(); i++) {
            assertNumbers(browser.findElement(By.cssSelector("#model-zph tr[data-zph='" + i + "']")), zph.path(i),
                    Map.of("chisq", 3, "df", 0, "p", P), "cox.zph " + zph.path(i).path("term").asText());
        }
        screenshot("dashboard-model");
    }

    @Test
    @Order(4)
    void aDeathSubmittedAtIntakeRedrawsTheOverallSurvivalCurveWithoutAReload() throws Exception {
        new Select(browser.findElement(By.id("group-by"))).selectByValue("");
        wait.until(d -> d.findElements(By.cssSelector("#km-figure path.km-curve")).size() == 1);
        ((JavascriptExecutor) browser).executeScript("window.samePage = true;");
        String patient = "WEB-p1";
        String episode = post("/v1/episodes", Map.of("recordId", "EP-web-1", "patientPseudonym", patient, "episodeType", "relapse",
                "episodeDate", TODAY.minusDays(300).toString()));
        awaitApplied(episode);
        JsonNode alive = await("analytics counts the episode", () -> api("/v1/survival/os"), os -> os.path("n").asInt() > 0
                && browserShows(os.path("n").asInt(), os.path("events").asInt()));
        String curveBefore = overallCurve();
        String versionBefore = browser.findElement(By.id("dataset-version")).getDomAttribute("data-version");

        long posted = System.nanoTime();
        String death = post("/v1/follow-ups", Map.of("recordId", "FU-web-1", "patientPseudonym", patient,
                "date", TODAY.minusDays(10).toString(), "vitalStatus", "dead"));
        int events = alive.path("events").asInt() + 1;
        wait.until(d -> browserShows(alive.path("n").asInt(), events));
        System.out.printf("[dashboard] death POST -> redrawn in the browser: %d ms%n", (System.nanoTime() - posted) / 1_000_000);
        String redraw = wait.until(d -> d.findElement(By.id("dataset-version")).getDomAttribute("data-redraw-ms"));
        System.out.printf("[dashboard] SSE refresh event -> finished redraw (page's own measure): %s ms; all: %s%n", redraw,
                ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByName('refresh-to-redraw').map(e => e.duration.toFixed(1)).join(', ');"));
        awaitApplied(death);

        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.samePage === true;"), "no reload");
        assertTrue(!overallCurve().equals(curveBefore), "the curve was drawn again with the death");
        long version = Long.parseLong(browser.findElement(By.id("dataset-version")).getDomAttribute("data-version"));
        assertTrue(version > Long.parseLong(versionBefore), versionBefore + " -> " + version);
        assertTrue(text("dataset-version").contains(Long.toString(version)) && text("updated-ago").startsWith("updated "),
                text("dataset-version") + " / " + text("updated-ago"));
        assertEquals("Live", text("live-state"));
        JsonNode os = api("/v1/survival/os");
        assertEquals(events, os.path("events").asInt(), "the API agrees with the page");
        screenshot("dashboard-live");

        Pdf printed = browser.print(new PrintOptions());
        byte[] pdf = Base64.getDecoder().decode(printed.getContent());
        Files.write(SHOTS.resolve("dashboard-print.pdf"), pdf);
        assertTrue(new String(pdf, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"), "a printout");
    }

    // --- the page

    private static void signIn(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        field.sendKeys(Keys.TAB);
        browser.findElement(By.id("sign-in-button")).sendKeys(Keys.ENTER);
    }

    private static boolean browserShows(int n, int events) {
        try {
            return overallRowShows(n, events);
        } catch (StaleElementReferenceException redrawnMeanwhile) {
            return false;
        }
    }

    private static boolean overallRowShows(int n, int events) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#km-estimates tr[data-group='All episodes']"));
        return !rows.isEmpty() && rows.get(0).findElement(By.cssSelector("[data-field=n]")).getText().equals(Integer.toString(n))
                && rows.get(0).findElement(By.cssSelector("[data-field=events]")).getText().equals(Integer.toString(events));
    }

    private static String overallCurve() {
        return browser.findElement(By.cssSelector("#km-figure path.km-curve")).getDomAttribute("d");
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void screenshot(String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    // --- what the page must agree with

    /** As the page formats a proportion: a percentage with one decimal, rounded half up from the double's exact value. */
    private static String percent(JsonNode proportion) {
        return new BigDecimal(proportion.asDouble() * 100).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** The digits of a p value: as the page formats them ("< 0.001" or three decimals). */
    private static final int P = -1;

    /**
     * Each figure named by a JSON pointer below {@code answer} is shown in {@code scope} rounded to its digits, and carries
     * the exact value; a figure the API leaves out (null: withheld or not computable) is shown as a dash.
     */
    private static void assertNumbers(WebElement scope, JsonNode answer, Map<String, Integer> fields, String what) {
        for (Map.Entry<String, Integer> field : fields.entrySet()) {
            JsonNode value = answer.at("/" + field.getKey());
            WebElement shown = scope.findElement(By.cssSelector("[data-field='" + field.getKey() + "']"));
            String where = what + " " + field.getKey();
            if (value.isNumber()) {
                assertEquals(value.asDouble(), Double.parseDouble(shown.getDomAttribute("data-value")), where);
                assertEquals(field.getValue() == P ? pValue(value.asDouble())
                        : new BigDecimal(value.asDouble()).setScale(field.getValue(), RoundingMode.HALF_UP).toPlainString(), shown.getText(), where);
            } else {
                assertNull(shown.getDomAttribute("data-value"), where);
                assertEquals("—", shown.getText(), where);
            }
        }
    }

    /** The first row of a CSV download with this section and group, by column name (the page's CSV quotes no plain numbers). */
    private static Map<String, String> csvRow(String csv, List<String> header, String section, String group) {
        String[] cells = csv.lines().map(l -> l.split(",", -1)).filter(c -> c[0].equals(section) && c[1].equals(group)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + section + " row for '" + group + "' in\n" + csv));
        Map<String, String> row = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), cells[i]);
        }
        return row;
    }

    private static String pValue(double p) {
        return p < 0.001 ? "< 0.001" : new BigDecimal(p).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** At risk at the start of the day: the first row on or after it, else 0 (R's summary(fit, times)). */
    private static int atRisk(JsonNode table, int day) {
        for (JsonNode row : table) {
            if (row.path("day").asInt() >= day) {
                return row.path("atRisk").asInt();
            }
        }
        return 0;
    }

    // --- HTTP

    private static JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(analytics(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + analystToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** POSTs a record of the test's site to intake and returns its submission id. */
    private static String post(String path, Map<String, String> record) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(intake(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + siteToken)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(record))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body()).path("id").asText();
    }

    private static void awaitApplied(String submission) {
        JsonNode record = await("a verdict on " + submission, () -> {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(intake("/v1/submissions/" + submission))
                    .header("Authorization", "Bearer " + siteToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("records").path(0);
        }, r -> !r.path("status").asText().equals("ACCEPTED"));
        assertEquals("APPLIED", record.path("status").asText(), record.toString());
    }

    private static URI analytics(String path) {
        return URI.create("http://127.0.0.1:" + options.port(Catalog.service("analytics").port()) + path);
    }

    private static URI intake(String path) {
        return URI.create("http://127.0.0.1:" + options.port(Catalog.service("intake").port()) + path);
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, Probe<T> probe, Predicate<T> done) {
        return Eventually.await(what, () -> {
            try {
                return probe.get();
            } catch (Exception e) {
                throw new IllegalStateException("asking for " + what, e);
            }
        }, done, DEADLINE, Duration.ofMillis(200), String::valueOf);
    }
}
