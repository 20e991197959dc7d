package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The /ops page in a real headless Chromium (Debian's chromium + chromium-driver, driven by
 * Selenium): it loads offline from the node, shows every partition of customer_events for the
 * sink and the analytics app, and its numbers follow events posted afterwards. Saves a
 * screenshot to target/ops-page.png. Skipped, saying what is missing, without chromium or
 * chromedriver.
 */
class OpsPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String SINK_ROWS = "#partitions tr[data-group='tributary-sink-customer_events'][data-topic='customer_events']";
    private static final String APP_ROWS = "#partitions tr[data-group='tributary-customer-analytics'][data-topic='customer_events']";

    @Test
    void pageShowsEveryPartitionAndFollowsNewEvents() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless browser test skipped: " + CHROMIUM
                + " is missing (Debian: apt-get install -y chromium chromium-driver)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "headless browser test skipped: " + CHROMEDRIVER
                + " is missing (Debian: apt-get install -y chromium-driver)");

        try (TestNodes.TempNode running = TestNodes.startInTempDir("tributary-ops-page-", Map.of())) {
            Http http = running.http();
            assertThat(http.post("/v0/events?name=customer_events&wait=true", ConsumerLagOpsIT.events(0, 40)).statusCode()).isEqualTo(200);

            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1800");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
            WebDriver driver = new ChromeDriver(service, options);
            try {
                driver.get("http://127.0.0.1:" + running.node().httpPort() + "/ops?token=" + TestNodes.ADMIN_TOKEN);
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(d -> endOffsets(d, SINK_ROWS) >= 40 && d.findElements(By.cssSelector(APP_ROWS)).size() == 3);
                assertThat(driver.getTitle()).isEqualTo("Tributary ops");
                assertThat(driver.findElement(By.id("error")).getText()).isEmpty();
                assertThat(attributes(driver, SINK_ROWS, "data-partition")).containsExactlyInAnyOrder("0", "1", "2");
                assertThat(driver.findElement(By.id("status")).getText()).isIn("READY", "NOT_READY");
                long before = endOffsets(driver, SINK_ROWS);

                assertThat(http.post("/v0/events?name=customer_events&wait=true", ConsumerLagOpsIT.events(1000, 60)).statusCode()).isEqualTo(200);
                wait.until(d -> endOffsets(d, SINK_ROWS) == before + 60 && committed(d, SINK_ROWS) == before + 60);
                wait.until(d -> !d.findElements(By.cssSelector("#freshness tr[data-sink='customer_events']")).isEmpty()
                        && !d.findElements(By.cssSelector("#topics tr[data-topic='customer_events'] svg polyline")).isEmpty());
                assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("READY");

                File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
                Path target = Path.of("target", "ops-page.png");
                Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(target)).isPositive();
            } finally {
                driver.quit();
            }
        }
    }

    private static long endOffsets(WebDriver driver, String rows) {
        return sum(texts(driver, rows + " td.end"));
    }

    private static long committed(WebDriver driver, String rows) {
        return sum(texts(driver, rows + " td.committed"));
    }

    /**
     * The text of every element matching {@code css}, read in one script: the page re-renders every
     * 2 s, so element handles found in one call may be stale in the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver driver, String css) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);", css);
    }

    private static List<String> attributes(WebDriver driver, String css, String attribute) {
        @SuppressWarnings("unchecked")
        List<String> values = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getAttribute(arguments[1]));", css, attribute);
        return values;
    }

    private static long sum(List<String> cells) {
        long sum = 0;
        for (String cell : cells) {
            String text = cell.trim();
            sum += text.matches("\\d+") ? Long.parseLong(text) : 0;
        }
        return sum;
    }
}
