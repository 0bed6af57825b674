package io.cortex.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.Cortex;
import io.cortex.spring.CortexSettings;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real server for every server test (the Spring context is cached across the classes that extend this):
 * H2 file database in a temp data directory, the job executor running, the first administrator created by
 * the server itself (its password read from {@code admin-password.txt}, as a new user would), real git
 * repositories in temp folders and a real HTTP client.
 */
@SpringBootTest(classes = CortexServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ServerTestSupport {

  static final Path ROOT = tempRoot();
  static final Path DATA = ROOT.resolve("data");
  static final Path CONFIG = ROOT.resolve("cortex.yaml");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SESSIONS = new AtomicInteger();

  @DynamicPropertySource
  static void serverProperties(DynamicPropertyRegistry registry) {
    registry.add(CortexSettings.DATA, DATA::toString);
    registry.add(CortexSettings.CONFIG, CONFIG::toString);
  }

  @LocalServerPort
  int port;

  @Autowired
  ProcessEngine engine;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A response: status, body parsed as JSON when it is JSON, headers. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String error() {
      return json().path("error").asText();
    }
  }

  // --- HTTP ---

  static String adminPassword() {
    try {
      String line = Files.readString(DATA.resolve(AdminUser.PASSWORD_FILE)).strip();
      assertThat(line).startsWith(AdminUser.DEFAULT_ID + ":");
      return line.substring(line.indexOf(':') + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic("admin", adminPassword())).GET());
  }

  Response post(String path, String json) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic("admin", adminPassword()))
        .header("Content-Type", "application/json")
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
  }

  // --- sessions ---

  Cortex cortex() {
    return Cortex.on(engine).withActor("test");
  }

  static String newSessionId(String prefix) {
    return prefix + "-" + SESSIONS.incrementAndGet();
  }

  static TempRepo newRepo() {
    TempRepo repo = TempRepo.init(ROOT);
    repo.write("README.md", "# app\n").commitAll("init");
    return repo;
  }

  /** A planning session, waiting in DoR. */
  String startPlanning(TempRepo repo) {
    String session = newSessionId("planning");
    cortex().startSession(Workflow.PLANNING, session, repo.dir());
    awaitTask(session, "Task_CompleteDor");
    return session;
  }

  /** Completes the waiting task of a phase as Tasklist would; the server's job executor runs the gate. */
  void completePhase(String session, String taskId, String nextTaskId, Map<String, Object> variables) {
    Task task = awaitTask(session, taskId);
    engine.getTaskService().complete(task.getId(), variables);
    if (nextTaskId != null) {
      awaitTask(session, nextTaskId);
    }
  }

  Task awaitTask(String session, String taskDefinitionKey) {
    await(() -> openTasks(session).stream().anyMatch(t -> t.getTaskDefinitionKey().equals(taskDefinitionKey)),
        "task " + taskDefinitionKey + " of session " + session);
    return openTasks(session).stream().filter(t -> t.getTaskDefinitionKey().equals(taskDefinitionKey))
        .findFirst().orElseThrow();
  }

  List<Task> openTasks(String session) {
    return engine.getTaskService().createTaskQuery().processInstanceBusinessKey(session).list();
  }

  String processInstanceId(String session) {
    return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(session)
        .processDefinitionKeyIn(Workflow.PLANNING.processKey(), Workflow.TDD.processKey(),
            Workflow.SYSTEM_ALIGNMENT.processKey())
        .singleResult().getId();
  }

  long finished(String processInstanceId, String activityId) {
    return engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
        .activityId(activityId).finished().count();
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Path tempRoot() {
    try {
      Path root = Files.createTempDirectory("cortex-server-test");
      // No gates, nothing else: the defaults, independent of the project's config/cortex.yaml.
      Files.writeString(root.resolve("cortex.yaml"), "server:\n  port: 8080\n");
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
