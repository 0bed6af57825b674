package com.example.cortexsample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample application, started as it runs (embedded Tomcat on a free port, its own application.yaml), driven over
 * HTTP only: what a Camunda user sees after adding Cortex's starter.
 */
@Tag("slow")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationEndToEndTest {

  private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @TempDir
  Path temp;

  @Test
  void planningSessionStartedOverEngineRestTakesCheckpointsAndCortexRestPreviewsARollback() throws Exception {
    // given
    Path repo = gitRepository();

    // when: the session starts and its first phase is completed, over Camunda's REST API
    HttpResponse<String> started = post("/engine-rest/process-definition/key/cortex-planning/start", Map.of(
        "businessKey", "sample-001",
        "variables", Map.of("repositoryPath", Map.of("value", repo.toString(), "type", "String"))));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String dorTask = awaitTask("sample-001", "Task_CompleteDor");
    Files.writeString(repo.resolve("requirements.md"), "- login\n");
    HttpResponse<String> completed = post("/engine-rest/task/" + dorTask + "/complete", Map.of());
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

    // then: the checkpoints are refs in the repository, as git sees them
    awaitRef(repo, "refs/cortex/checkpoints/sample-001/dor-1");
    assertThat(git(repo, "for-each-ref", "--format=%(refname)", "refs/cortex/checkpoints/sample-001/").lines())
        .containsExactlyInAnyOrder("refs/cortex/checkpoints/sample-001/session-start",
            "refs/cortex/checkpoints/sample-001/dor-1");
    assertThat(git(repo, "show", "refs/cortex/checkpoints/sample-001/dor-1:requirements.md")).isEqualTo("- login\n");

    // and a rollback to the start is previewed over /cortex-rest, changing nothing
    HttpResponse<String> preview = get("/cortex-rest/sessions/sample-001/checkpoints/session-start/preview", true);
    assertThat(preview.statusCode()).as("GET /cortex-rest/…/preview answered: %s", preview.body()).isEqualTo(200);
    assertThat(preview.body()).contains("requirements.md");
    assertThat(Files.readString(repo.resolve("requirements.md"))).isEqualTo("- login\n");
  }

  @Test
  void operatorDecisionFormIsDeployed() throws Exception {
    // when
    List<String> resources = new ArrayList<>();
    for (JsonNode deployment : JSON.readTree(get("/engine-rest/deployment", false).body())) {
      for (JsonNode resource : JSON.readTree(get("/engine-rest/deployment/" + deployment.get("id").asText()
          + "/resources", false).body())) {
        resources.add(resource.get("name").asText());
      }
    }

    // then
    assertThat(resources).as("resources deployed in the engine").anyMatch(name -> name.endsWith("operator-decision.form"))
        .anyMatch(name -> name.endsWith("planning.bpmn")).anyMatch(name -> name.endsWith("recovery.bpmn"));
  }

  @Test
  void cockpitServesCortexsPluginScript() throws Exception {
    // when: Cockpit serves the script of each plugin registered with it, under its id
    HttpResponse<String> script = get("/camunda/api/cockpit/plugin/cortex/static/app/plugin.js", false);

    // then
    assertThat(script.statusCode()).as("GET …/plugin/cortex/static/app/plugin.js answered: %s", script.body())
        .isEqualTo(200);
    assertThat(script.body()).contains("Checkpoints");
  }

  @Test
  void hostsLogPatternAndLevelsSurviveCortex(CapturedOutput output) {
    // then: the application's own pattern, its INFO start-up lines and its DEBUG logger, Camunda's lines included
    assertThat(output.getOut()).contains("SAMPLE-APP ")
        .containsPattern("SAMPLE-APP \\S+ \\[INFO\\] \\S+ \\| Started SampleApplication")
        .containsPattern("SAMPLE-APP \\S+ \\[DEBUG\\] \\S*SampleApplication \\| sample application ready")
        .containsPattern("SAMPLE-APP \\S+ \\[INFO\\] \\S+ \\| ENGINE-00001 Process Engine \\S+ created");
  }

  // --- HTTP and git ---

  private HttpResponse<String> get(String path, boolean authenticated) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (authenticated) {
      request.header("Authorization", ADMIN);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** The job executor runs the gate between phases: the next task shows up a moment later. */
  private String awaitTask(String businessKey, String taskDefinitionKey) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      JsonNode tasks = JSON.readTree(get("/engine-rest/task?processInstanceBusinessKey=" + businessKey
          + "&taskDefinitionKey=" + taskDefinitionKey, false).body());
      if (tasks.size() == 1) {
        return tasks.get(0).get("id").asText();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no task " + taskDefinitionKey + " for " + businessKey + " within " + WAIT);
  }

  private static void awaitRef(Path repo, String ref) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      if (git(repo, "for-each-ref", "--format=%(refname)", ref).strip().equals(ref)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(ref + " did not appear within " + WAIT + "; refs: " + git(repo, "for-each-ref"));
  }

  private Path gitRepository() throws Exception {
    Path repo = Files.createDirectories(temp.resolve("app"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", "Sample");
    git(repo, "config", "user.email", "sample@example.com");
    git(repo, "config", "commit.gpgsign", "false");
    Files.writeString(repo.resolve("README.md"), "# app\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "init");
    return repo;
  }

  private static String git(Path repo, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
