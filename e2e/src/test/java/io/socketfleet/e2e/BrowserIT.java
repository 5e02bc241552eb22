package io.socketfleet.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo page in headless Chromium, through nginx: node name shown, chat crossing nodes. */
class BrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static LocalFleetProcess fleet;
    private final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("headless Chromium is needed: sudo apt-get install chromium chromium-driver");
        }
        fleet = new LocalFleetProcess("browser", 3, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        fleet.close();
    }

    private WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1100,800",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private static String nodeShown(WebDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        return wait.until(d -> {
            String text = d.findElement(By.id("node")).getText().strip();
            return text.startsWith("browser-node-") ? text : null;
        });
    }

    @Test
    void pageShowsItsNodeAndChatCrossesNodes() throws Exception {
        WebDriver first = browser();
        first.get(fleet.url() + "/");
        String firstNode = nodeShown(first);

        // New connections are spread by hash; retry until a second browser lands elsewhere.
        WebDriver second = null;
        String secondNode = firstNode;
        for (int attempt = 0; attempt < 20 && secondNode.equals(firstNode); attempt++) {
            if (second == null) {
                second = browser();
                second.get(fleet.url() + "/?transport=polling");
            } else {
                second.navigate().refresh();
            }
            secondNode = nodeShown(second);
        }
        assertNotEquals(firstNode, secondNode, "two browsers on two different nodes");

        String text = "hello from " + firstNode + " at " + System.nanoTime();
        first.findElement(By.id("name")).sendKeys("alice");
        first.findElement(By.id("text")).sendKeys(text);
        first.findElement(By.cssSelector("#chat button")).click();

        final WebDriver receiver = second;
        new WebDriverWait(receiver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("messages")).getText().contains(text));
        String line = receiver.findElement(By.id("messages")).getText();
        assertTrue(line.contains("alice: " + text) && line.contains("via " + firstNode), line);
        new WebDriverWait(receiver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("presence")).getText().contains(firstNode));

        Files.createDirectories(Repo.ARTIFACTS);
        for (int i = 0; i < browsers.size(); i++) {
            File shot = ((TakesScreenshot) browsers.get(i)).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Repo.ARTIFACTS.resolve("browser-" + (i + 1) + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("screenshots in " + Repo.ARTIFACTS + " (browsers on " + firstNode + " and " + secondNode + ")");
        browsers.forEach(WebDriver::quit);
        browsers.clear();
    }

    @org.junit.jupiter.api.AfterEach
    void quitBrowsers() {
        browsers.forEach(WebDriver::quit);
        browsers.clear();
    }
}
