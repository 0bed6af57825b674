package io.cortex.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.testing.ProjectRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Cortex server started exactly as a user starts it: {@code ./cortex serve} (the launcher script with its
 * extracted jar, run after {@code mvn package}, so this runs as an integration test), a free port, the H2 file
 * database in a temp data directory, and the first administrator from {@code CORTEX_ADMIN_USER} /
 * {@code CORTEX_ADMIN_PASSWORD}. It talks to the server only through HTTP, like an operator's browser and the
 * documented curl calls.
 */
final class CortexServerProcess implements AutoCloseable {

  private static final Pattern BANNER = Pattern.compile("Cockpit, Tasklist, Admin\\s+http://localhost:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final int port;
  private final String user;
  private final String password;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private CortexServerProcess(Process process, Path log, int port, String user, String password) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** Starts the server in {@code root} (data directory {@code root/data}) and returns once it accepts requests. */
  static CortexServerProcess start(Path root, String user, String password, Duration timeout) throws IOException {
    Path data = Files.createDirectories(root.resolve("data"));
    Path config = root.resolve("cortex.yaml");
    // The defaults (no gates), independent of the project's config/cortex.yaml — except one recovery attempt,
    // so a failed phase reaches the operator's decision task at once.
    Files.writeString(config, "server:\n  port: 8080\nrecovery:\n  retry:\n    maxAttempts: 1\n    initialDelayMs: 0\n");
    Path log = root.resolve("server.log");
    int freePort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }
    List<String> command = List.of(ProjectRoot.resolve("cortex").toString(), "serve", "--port",
        String.valueOf(freePort), "--data", data.toString(), "--config", config.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    builder.environment().put("CORTEX_ADMIN_USER", user);
    builder.environment().put("CORTEX_ADMIN_PASSWORD", password);
    builder.environment().remove("CORTEX_DATA");
    builder.environment().remove("CORTEX_CONFIG");
    Process process = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread pump = new Thread(() -> pump(process, log, port), "cortex-server-output");
    pump.setDaemon(true);
    pump.start();
    CortexServerProcess server;
    try {
      server = new CortexServerProcess(process, log, port.get(timeout.toMillis(), TimeUnit.MILLISECONDS), user, password);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("The Cortex server did not start within " + timeout + " (" + e + "). Its output"
          + " (causes, then the last lines):\n" + causes(log) + "\n...\n" + tail(log, 40), e);
    }
    return server;
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://localhost:" + port;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** The last lines of the server's output, for failure messages. */
  String logTail(int lines) {
    return tail(log, lines);
  }

  /** The status code of an anonymous GET, as a browser's first request for a page or script. */
  int statusOf(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(60)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // --- HTTP with the administrator's Basic credentials ---

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET(), 200);
  }

  JsonNode post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)), -1);
  }

  private JsonNode send(HttpRequest.Builder request, int expected) {
    String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response = http.send(request.header("Authorization", "Basic " + credentials)
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      boolean ok = expected > 0 ? response.statusCode() == expected : response.statusCode() / 100 == 2;
      if (!ok) {
        throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
            + response.statusCode() + ": " + response.body());
      }
      return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    // SIGTERM to the server and to the launcher shell before it (exec replaces the shell, so normally it is one process)
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy(); // Spring closes the engine and the database
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // --- plumbing ---

  private static void pump(Process process, Path log, CompletableFuture<Integer> port) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
             StandardOpenOption.APPEND)) {
      String line;
      while ((line = out.readLine()) != null) {
        file.write(line);
        file.write('\n');
        file.flush();
        Matcher banner = BANNER.matcher(line);
        if (!port.isDone() && banner.find()) {
          port.complete(Integer.parseInt(banner.group(1)));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    if (!port.isDone()) {
      String exit;
      try {
        exit = process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "output closed";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exit = "interrupted";
      }
      port.completeExceptionally(new IllegalStateException("the server process ended (" + exit + ")"));
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  /** The "Caused by" lines of the output: a failed start's root cause is the last of them. */
  private static String causes(Path file) {
    try {
      return Files.exists(file) ? String.join("\n", Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith("Caused by:") || line.contains("APPLICATION FAILED TO START")).toList()) : "";
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

}
