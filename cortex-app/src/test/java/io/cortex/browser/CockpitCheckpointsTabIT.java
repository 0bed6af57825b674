package io.cortex.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.testing.TempRepo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator rolls a session back from Cockpit's "Checkpoints" tab, in a real browser (Debian's chromium and
 * chromium-driver, headless) against a real server started as a user starts it ({@code ./cortex serve}, after
 * {@code mvn package}: an integration test): login, the tab with the session's checkpoints, the preview
 * of dor-1 with its diff, a rollback the safety check refuses (shown in the dialog), the same rollback with
 * Force, the result and the audit log — then the repository, the audit log and the process instance are
 * checked through git and the REST APIs. Screenshots of each step go to target/screenshots/operators-*.png;
 * {@code -Dcortex.screenshots=docs/images} refreshes the ones docs/operators.md shows.
 *
 * <p>The browser tests are skipped only when /usr/bin/chromium or /usr/bin/chromedriver is missing (.ci/run installs
 * both); the check that every webapp loads its plugin scripts needs no browser and always runs.
 */
class CockpitCheckpointsTabIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String USER = "operator";
  private static final String PASSWORD = "cockpit-Test-4711";
  private static final Duration WAIT = Duration.ofSeconds(45);

  private static Path root;
  private static CortexServerProcess server;
  private static WebDriver browser;
  private static Path browserProfile;

  /** On a failure: the server's output, the browser's console and a screenshot, to see what happened. */
  @RegisterExtension
  static final AfterTestExecutionCallback DIAGNOSTICS = context -> {
    if (context.getExecutionException().isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder("\n--- CockpitCheckpointsTabIT failed; diagnostics ---\n");
    if (browser != null) {
      try {
        report.append("URL: ").append(browser.getCurrentUrl()).append('\n');
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
          report.append("console ").append(entry.getLevel()).append(": ").append(entry.getMessage()).append('\n');
        }
        Path shot = Path.of("target", "cockpit-failure.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        report.append("screenshot: ").append(shot).append('\n');
      } catch (Exception e) {
        report.append("(browser diagnostics failed: ").append(e).append(")\n");
      }
    }
    if (server != null) {
      report.append("server output (tail):\n").append(server.logTail(60)).append('\n');
    }
    System.err.println(report);
  };

  @BeforeAll
  static void serverAndBrowser() throws IOException {
    root = Files.createTempDirectory("cortex-browser-test");
    server = CortexServerProcess.start(root, USER, PASSWORD, Duration.ofMinutes(4));
    if (!browserInstalled()) {
      return; // each browser test reports itself skipped, see below
    }
    browser = chromium();
    logIn();
  }

  private static void assumeBrowser() {
    assumeTrue(browserInstalled(), "the browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium,"
        + " /usr/bin/chromedriver); .ci/run installs them: apt-get install -y chromium chromium-driver");
  }

  @Test
  void everyWebappLoadsItsPluginScripts() {
    // given: the server ./cortex serve started; when: a browser asks for the scripts Cockpit, Tasklist and Admin
    // load before they show anything (a 404 leaves them on a spinner), and Cortex's own Cockpit plugin
    // then: each is served
    for (String app : List.of("cockpit", "tasklist", "admin")) {
      String script = "/camunda/api/" + app + "/plugin/" + app + "Plugins/static/app/plugin.js";
      assertThat(server.statusOf(script)).as("GET " + script).isEqualTo(200);
    }
    assertThat(server.statusOf("/camunda/api/cockpit/plugin/cortex/static/app/plugin.js")).isEqualTo(200);
    assertThat(server.statusOf("/camunda/app/cockpit/default/")).isEqualTo(200);
  }

  private static boolean browserInstalled() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    deleteQuietly(browserProfile);
    deleteQuietly(root);
  }

  @Test
  void anOperatorPreviewsAndRollsBackASessionFromTheCheckpointsTab() throws IOException {
    assumeBrowser();
    // given: a planning session that completed DoR (checkpoint dor-1), then more work nobody committed
    TempRepo repo = TempRepo.init(root);
    repo.write("README.md", "# app\n").commitAll("init");
    String session = "feature-login-001";
    String instance = server.post("/engine-rest/process-definition/key/cortex-planning/start",
        "{\"businessKey\": \"" + session + "\", \"variables\": {\"repositoryPath\": {\"value\": "
            + jsonString(repo.dir().toString()) + ", \"type\": \"String\"}}}").path("id").asText();
    String dorTask = awaitTask(instance, "Task_CompleteDor");
    repo.write("requirements.md", "- users log in with e-mail and password\n- three failed attempts lock the account\n");
    server.post("/engine-rest/task/" + dorTask + "/complete", "{\"variables\": {\"cortexMetrics\": {\"value\":"
        + " \"{\\\"requirements_validated\\\": true, \\\"acceptance_criteria_count\\\": 2}\", \"type\": \"String\"}}}");
    awaitTask(instance, "Task_CompleteImplementation");
    String dorSnapshot = repo.git("rev-parse", "refs/cortex/checkpoints/" + session + "/dor-1").strip();
    repo.write("requirements.md", "- users log in with a magic link\n");
    repo.write("README.md", "# app\n\nWork in progress: login rewrite.\n");
    repo.write("Login.java", "class Login {}\n");

    // when: the operator (logged in to Cockpit) opens the instance's Checkpoints tab
    browser.get(server.baseUrl() + "/camunda/app/cockpit/default/#/process-instance/" + instance + "/runtime");
    WebElement tab = waitFor(By.xpath("//ul[contains(@class,'nav-tabs')]//a[normalize-space()='Checkpoints']"));
    tab.click();
    waitUntil(() -> checkpointIds().size() == 2, "the checkpoints session-start and dor-1 in the tab");

    // then: the session's checkpoints with phase, type, time, metrics and short sha
    assertThat(checkpointIds()).containsExactly("session-start", "dor-1");
    assertThat(text(By.cssSelector("[data-cortex='session-id']"))).isEqualTo(session);
    WebElement dor = checkpointRow("dor-1");
    assertThat(cell(dor, "checkpoint-phase")).isEqualTo("DoR");
    assertThat(cell(dor, "checkpoint-type")).isEqualTo("PHASE_END");
    assertThat(cell(dor, "checkpoint-sha")).isEqualTo(dorSnapshot.substring(0, 7));
    assertThat(cell(dor, "checkpoint-metrics")).contains("requirements_validated=true", "acceptance_criteria_count=2");
    assertThat(cell(dor, "checkpoint-time")).isNotBlank();
    waitUntil(() -> !auditActions().isEmpty(), "the audit log in the tab");
    assertThat(auditActions()).contains("CHECKPOINT_CREATED");
    screenshot("operators-checkpoints", By.cssSelector("[data-cortex='checkpoints-tab']"));
    // the diagram folds away (Cockpit's own "Show tabs" control) so the tab has the window's height
    click(By.cssSelector("a.hide-collapsable.vertical-collapse"));
    waitUntilSettled(By.cssSelector("[data-cortex='checkpoints-tab']"));

    // when: Preview on dor-1
    click(By.cssSelector("[data-cortex='preview-button'][data-checkpoint-id='dor-1']"));
    waitFor(By.cssSelector("[data-cortex='preview'][data-state='loaded'][data-checkpoint-id='dor-1']"));

    // then: the dry run's files and diff; nothing changed on disk
    assertThat(text(By.cssSelector("[data-cortex='preview-modified']"))).contains("README.md", "requirements.md");
    assertThat(text(By.cssSelector("[data-cortex='preview-untracked']"))).contains("Login.java");
    assertThat(text(By.cssSelector("[data-cortex='preview-diff']")))
        .contains("diff --git a/requirements.md b/requirements.md", "-- users log in with a magic link",
            "+- three failed attempts lock the account", "-Work in progress: login rewrite.");
    assertThat(browser.findElement(By.cssSelector("[data-cortex='preview-safety']")).getAttribute("data-safe"))
        .isEqualTo("false");
    assertThat(repo.read("requirements.md")).isEqualTo("- users log in with a magic link\n");
    screenshot("operators-preview", By.cssSelector("[data-cortex='preview']"));

    // when: Roll back without Force — the safety check refuses (uncommitted changes) and the dialog says so
    click(By.cssSelector("[data-cortex='rollback-button'][data-checkpoint-id='dor-1']"));
    waitFor(By.cssSelector(
        "[data-cortex='rollback-dialog'][data-checkpoint-id='dor-1'] [data-cortex='rollback-safety'][data-safe]"));
    assertThat(text(By.cssSelector("[data-cortex='rollback-safety']"))).contains("Uncommitted changes detected");
    click(By.cssSelector("[data-cortex='rollback-confirm']"));
    WebElement refused = waitFor(By.cssSelector("[data-cortex='rollback-failure'][data-status='409']"));
    assertThat(refused.getText()).contains("The rollback was refused", "Uncommitted changes detected");
    assertThat(repo.read("requirements.md")).isEqualTo("- users log in with a magic link\n");
    screenshot("operators-refused", By.cssSelector("[data-cortex='rollback-dialog'] .modal-dialog"));

    // when: Force, confirm
    WebElement force = waitFor(By.cssSelector("[data-cortex='rollback-force']"));
    force.click();
    assertThat(force.isSelected()).isTrue();
    assertThat(browser.findElements(By.cssSelector("[data-cortex='rollback-failure']"))).isEmpty();
    screenshot("operators-confirm", By.cssSelector("[data-cortex='rollback-dialog'] .modal-dialog"));
    click(By.cssSelector("[data-cortex='rollback-confirm']"));
    WebElement success = waitFor(By.cssSelector("[data-cortex='rollback-success'][data-checkpoint-id='dor-1']"));

    // then: the result in the tab, with the new PRE_ROLLBACK checkpoint and the audit entries
    assertThat(success.getText()).contains("Rolled back to dor-1", "pre-rollback-1", "Rollback requested");
    assertThat(success.getAttribute("data-pre-rollback")).isEqualTo("pre-rollback-1");
    assertThat(browser.findElements(By.cssSelector("[data-cortex='rollback-dialog']"))).isEmpty();
    waitUntil(() -> checkpointIds().contains("pre-rollback-1"), "pre-rollback-1 in the tab");
    waitUntil(() -> auditActions().contains("ROLLBACK_COMPLETED"), "ROLLBACK_COMPLETED in the tab's audit log");
    WebElement completedRow = browser.findElement(
        By.cssSelector("[data-cortex='audit-row'][data-action='ROLLBACK_COMPLETED']"));
    assertThat(cell(completedRow, "audit-actor")).isEqualTo(USER);
    assertThat(cell(completedRow, "audit-outcome")).isEqualTo("SUCCESS");
    screenshot("operators-result", By.cssSelector("[data-cortex='checkpoints-tab']"));

    // then: reloaded, Cockpit shows the instance back in DoR and reopens the Checkpoints tab
    click(By.cssSelector("[data-cortex='reload-view']"));
    waitUntil(() -> checkpointIds().contains("pre-rollback-1"), "the Checkpoints tab after the reload");
    click(By.cssSelector("a.show-collapsable.vertical-collapse")); // the diagram back, with the instance in DoR
    waitUntilSettled(By.cssSelector("[data-cortex='checkpoints-tab']"));
    waitFor(By.cssSelector(".djs-overlays[data-container-id='Task_CompleteDor'] .badge"));
    screenshot("operators-reloaded", null);

    // then: the repository is exactly the dor-1 snapshot (git's own view of it), the extra file is gone
    assertThat(repo.read("requirements.md")).isEqualTo(repo.git("show", dorSnapshot + ":requirements.md"))
        .isEqualTo("- users log in with e-mail and password\n- three failed attempts lock the account\n");
    assertThat(repo.read("README.md")).isEqualTo(repo.git("show", dorSnapshot + ":README.md"));
    assertThat(repo.dir().resolve("Login.java")).doesNotExist();
    // the index becomes the snapshot: requirements.md, untracked when dor-1 was taken, comes back staged
    assertThat(repo.git("status", "--porcelain")).isEqualTo("A  requirements.md\n");
    assertThat(repo.git("show", "refs/cortex/checkpoints/" + session + "/pre-rollback-1:Login.java"))
        .isEqualTo("class Login {}\n");

    // then: the audit log names the operator who was logged in to Cockpit
    List<JsonNode> audit = list(server.get("/cortex-rest/audit?sessionId=" + session));
    assertThat(audit).filteredOn(e -> e.path("action").asText().equals("SAFETY_REFUSED"))
        .singleElement().satisfies(e -> assertThat(e.path("actor").asText()).isEqualTo(USER));
    JsonNode completed = audit.stream().filter(e -> e.path("action").asText().equals("ROLLBACK_COMPLETED"))
        .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no ROLLBACK_COMPLETED in " + audit));
    assertThat(completed.path("actor").asText()).isEqualTo(USER);
    assertThat(completed.path("outcome").asText()).isEqualTo("SUCCESS");
    assertThat(completed.path("sessionId").asText()).isEqualTo(session);
    assertThat(completed.path("details").toString()).contains("dor-1");

    // then: the rollback ran as BPMN and the instance waits in DoR again
    assertThat(list(server.get("/engine-rest/history/activity-instance?processInstanceId=" + instance
        + "&activityId=Task_PerformRollback&finished=true"))).hasSize(1);
    awaitTask(instance, "Task_CompleteDor");
    assertThat(server.get("/engine-rest/process-instance/" + instance + "/variables/rollbackPreRollbackCheckpoint")
        .path("value").asText()).isEqualTo("pre-rollback-1");
  }

  @Test
  void anOperatorDecidesARecoveryInTasklistAndTheSessionReturnsToItsPhase() throws IOException {
    assumeBrowser();
    // given: DoR fails; its one recovery attempt (PROGRESSIVE, which needs a gate the phase does not have) fails
    TempRepo repo = TempRepo.init(root);
    repo.write("README.md", "# search\n").commitAll("init");
    String session = "feature-search-002";
    String instance = server.post("/engine-rest/process-definition/key/cortex-planning/start",
        "{\"businessKey\": \"" + session + "\", \"variables\": {\"repositoryPath\": {\"value\": "
            + jsonString(repo.dir().toString()) + ", \"type\": \"String\"}, \"recoveryStrategy\": {\"value\":"
            + " \"PROGRESSIVE\", \"type\": \"String\"}}}")
        .path("id").asText();
    String dorTask = awaitTask(instance, "Task_CompleteDor");
    repo.write("requirements.md", "- search by title and author\n");
    server.post("/engine-rest/task/" + dorTask + "/bpmnError", "{\"errorCode\": \"PHASE_FAILED\", \"errorMessage\":"
        + " \"The requirements contradict the search API contract\"}");
    String decision = awaitTaskWhere("processInstanceBusinessKey=" + session, "Task_OperatorDecision");

    // when: the operator opens the task in Tasklist, claims it and completes the form with its defaults (IMMEDIATE)
    browser.get(server.baseUrl() + "/camunda/app/tasklist/default/#/?task=" + decision);
    waitUntil(() -> browser.getPageSource().contains("Recovery needs a decision"), "the decision form in Tasklist");
    click(By.xpath("//*[(self::a or self::button) and normalize-space()='Claim']"));
    WebElement complete = new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(
        By.xpath("//button[normalize-space()='Complete']")));
    assertThat(browser.findElement(By.tagName("body")).getText())
        .contains("DoR", "PHASE_FAILED", "The requirements contradict the search API contract", "Strategy", "Force",
            "Abort the session");
    screenshot("operators-tasklist-decision", null);
    complete.click();

    // then: "Roll back as decided" restores the last good checkpoint, records the recovery point and DoR waits again
    awaitTask(instance, "Task_CompleteDor");
    List<String> types = list(server.get("/cortex-rest/sessions/" + session + "/checkpoints")).stream()
        .map(c -> c.path("type").asText()).toList();
    assertThat(types).contains("SESSION_START", "PRE_ROLLBACK", "RECOVERY_POINT");
    List<JsonNode> attempts = list(server.get("/cortex-rest/audit?sessionId=" + session)).stream()
        .filter(e -> e.path("action").asText().equals("RECOVERY_ATTEMPTED")).toList();
    assertThat(attempts).extracting(e -> e.path("outcome").asText()).containsExactly("FAILURE", "SUCCESS");
    assertThat(repo.dir().resolve("requirements.md")).doesNotExist();
    assertThat(repo.git("show", "refs/cortex/checkpoints/" + session + "/pre-rollback-1:requirements.md"))
        .isEqualTo("- search by title and author\n");
  }

  // --- Cockpit ---

  private static void logIn() {
    browser.get(server.baseUrl() + "/camunda/app/cockpit/default/");
    WebElement password = waitFor(By.cssSelector("form input[type='password']"));
    WebElement form = password.findElement(By.xpath("./ancestor::form"));
    WebElement user = form.findElement(By.cssSelector("input[type='text'], input:not([type])"));
    user.clear();
    user.sendKeys(USER);
    password.clear();
    password.sendKeys(PASSWORD);
    form.findElement(By.cssSelector("button[type='submit'], input[type='submit']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(
        By.cssSelector("form input[type='password']")));
  }

  private static List<String> checkpointIds() {
    return browser.findElements(By.cssSelector("[data-cortex='checkpoint-row']")).stream()
        .map(row -> row.getAttribute("data-checkpoint-id")).toList();
  }

  private static List<String> auditActions() {
    return browser.findElements(By.cssSelector("[data-cortex='audit-row']")).stream()
        .map(row -> row.getAttribute("data-action")).toList();
  }

  private static WebElement checkpointRow(String checkpointId) {
    return browser.findElement(By.cssSelector("[data-cortex='checkpoint-row'][data-checkpoint-id='" + checkpointId + "']"));
  }

  private static String cell(WebElement row, String dataCortex) {
    return row.findElement(By.cssSelector("[data-cortex='" + dataCortex + "']")).getText().strip();
  }

  private static String text(By by) {
    return waitFor(by).getText();
  }

  private static void click(By by) {
    WebElement element = new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(by));
    scrollIntoView(element);
    element.click();
  }

  private static WebElement waitFor(By by) {
    return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitUntil(BooleanSupplier condition, String what) {
    new WebDriverWait(browser, WAIT).withMessage("waiting for " + what).until(driver -> condition.getAsBoolean());
  }

  /** Waits until the element stops moving (Cockpit animates its panes when they fold). */
  private static void waitUntilSettled(By by) {
    String[] last = {""};
    new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofMillis(250)).withMessage("waiting for " + by + " to settle")
        .until(driver -> {
          WebElement element = driver.findElement(by);
          String now = element.getRect().getX() + "," + element.getRect().getY() + "," + element.getRect().getWidth()
              + "," + element.getRect().getHeight();
          boolean settled = now.equals(last[0]);
          last[0] = now;
          return settled;
        });
  }

  private static void scrollIntoView(WebElement element) {
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'nearest'});", element);
  }

  /**
   * A screenshot of the whole window with {@code focus} (if any) scrolled into view (Cockpit's tab pane scrolls
   * on its own), to {@code <screenshots>/<name>.png}.
   */
  private static void screenshot(String name, By focus) throws IOException {
    if (focus != null) {
      WebElement element = waitFor(focus);
      ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'});", element);
    }
    ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur();");
    Path dir = screenshotDir();
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static Path screenshotDir() {
    String configured = System.getProperty("cortex.screenshots");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    // The committed pictures in docs/images are refreshed on purpose (-Dcortex.screenshots=docs/images),
    // not by every test run.
    return Path.of("target", "screenshots");
  }

  // --- engine REST ---

  /** Waits until the instance has the open task {@code taskDefinitionKey} (the server's job executor runs the gates). */
  private static String awaitTask(String instance, String taskDefinitionKey) {
    return awaitTaskWhere("processInstanceId=" + instance, taskDefinitionKey);
  }

  /** Waits until a task of {@code taskDefinitionKey} matches the task query {@code filter} and returns its id. */
  private static String awaitTaskWhere(String filter, String taskDefinitionKey) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<JsonNode> tasks = List.of();
    while (System.nanoTime() < deadline) {
      tasks = list(server.get("/engine-rest/task?" + filter + "&taskDefinitionKey=" + taskDefinitionKey));
      if (!tasks.isEmpty()) {
        return tasks.get(0).path("id").asText();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for task " + taskDefinitionKey + " (" + filter + "); open tasks: "
        + server.get("/engine-rest/task") + "\n" + server.logTail(40));
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static String jsonString(String value) {
    return new com.fasterxml.jackson.databind.node.TextNode(value).toString();
  }

  // --- browser ---

  private static WebDriver chromium() throws IOException {
    // Never Selenium Manager: the driver and the browser are Debian's, named explicitly.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    browserProfile = Files.createTempDirectory("cortex-chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1600,1000", "--lang=en-US", "--user-data-dir=" + browserProfile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .withLogOutput(java.io.OutputStream.nullOutputStream())
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temp directory; the OS cleans it up eventually
    }
  }
}
