package org.nbregistry.local.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its chromedriver, driven by Selenium. A machine without them gets them from Debian's
 * packages when the test runs as root (as CI does), so that {@code ./mvnw -B verify} needs nothing installed by hand;
 * otherwise the test fails with the command that installs them. Never a download of a browser build of its own:
 * Selenium Manager is not used, the driver and the browser are named.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> PACKAGES = List.of("chromium", "chromium-driver");
    private static final String INSTALL = "apt-get install -y --no-install-recommends " + String.join(" ", PACKAGES);

    private HeadlessChromium() {
    }

    /** A headless browser with a window this large, so that full-page screenshots show the whole dashboard. */
    static ChromeDriver start(int width, int height) {
        ensureInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: Chromium refuses to run as root (CI) with its sandbox on.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-GB", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)).build();
        return new ChromeDriver(service, options);
    }

    static synchronized void ensureInstalled() {
        if (installed()) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            System.out.println("[browser] installing " + PACKAGES + " from Debian's packages");
            run(List.of("apt-get", "update", "-qq"));
            run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGES.get(0), PACKAGES.get(1)));
        }
        if (!installed()) {
            throw new AssertionError("The dashboard's browser test needs Debian's Chromium and chromedriver (" + BROWSER + ", "
                    + DRIVER + "); install them as root with: apt-get update && " + INSTALL);
        }
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            System.out.println("[browser] " + command + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
