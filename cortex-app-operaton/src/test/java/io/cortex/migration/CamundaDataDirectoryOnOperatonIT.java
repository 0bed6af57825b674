package io.cortex.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.testing.ProjectRoot;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Camunda 7 CE user moving to Operaton (docs/operaton.md): the data directory that {@code ./cortex} on Camunda 7.24
 * wrote — the engine's H2 database with the running session and Cortex's catalogue, and the checkpoint refs in the
 * user's repository — is opened by {@code ./cortex --engine operaton}, and the session goes on: the process instance
 * Camunda started completes a phase, the catalogue lists every checkpoint of both, a rollback to a checkpoint
 * Camunda took restores its files.
 * Each engine runs as the user runs it, its own launcher and JVM, one after the other on the same directory.
 */
class CamundaDataDirectoryOnOperatonIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path root;

  @Test
  void aSessionStartedOnCamundaContinuesAndRollsBackOnOperaton() throws Exception {
    // given: a TDD session started on Camunda 7.24, with a checkpoint of the work before the upgrade
    TempRepo repo = TempRepo.init(root).write("src/App.java", "class App {}\n").commitAll("init");
    Path data = root.resolve("data");
    Path config = root.resolve("cortex.yaml");
    Files.writeString(config, "recovery:\n  retry:\n    maxAttempts: 1\n    initialDelayMs: 0\n");
    cortex("camunda", "start", "tdd", "--repo", repo.dir().toString(), "--session", "upgrade-001");
    repo.write("src/AppTest.java", "class AppTest { /* red */ }\n");
    cortex("camunda", "checkpoint", "create", "--session", "upgrade-001", "--id", "before-upgrade");
    String refsWrittenByCamunda = repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/cortex");

    // when: the same data directory and repository on Operaton: the RED phase completes, then a rollback to the
    // checkpoint Camunda took
    repo.write("src/AppTest.java", "class AppTest { /* red, then more */ }\n").write("NOTES.md", "after the upgrade\n");
    cortex("operaton", "phase", "complete", "--session", "upgrade-001", "--phase", "RED");
    JsonNode checkpoints = JSON.readTree(cortex("operaton", "checkpoints", "--session", "upgrade-001", "--json"));
    cortex("operaton", "rollback", "rollback session upgrade-001 to before-upgrade", "--force");
    String status = cortex("operaton", "status", "--session", "upgrade-001");

    // then: Camunda's refs are untouched, the catalogue holds the checkpoints of both engines, the files are those
    // of before-upgrade (what the rollback replaced is kept in its pre-rollback checkpoint), and the process
    // instance Camunda started runs on Operaton, past RED, waiting in GREEN
    assertThat(repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/cortex"))
        .contains(refsWrittenByCamunda.strip().split("\n"));
    List<String> ids = new ArrayList<>();
    checkpoints.forEach(c -> ids.add(c.path("checkpointId").asText()));
    assertThat(ids).containsSubsequence("session-start", "before-upgrade", "red-1");
    assertThat(repo.read("src/AppTest.java")).isEqualTo("class AppTest { /* red */ }\n");
    assertThat(Files.exists(repo.dir().resolve("NOTES.md"))).as("NOTES.md came after before-upgrade").isFalse();
    assertThat(repo.git("for-each-ref", "--format=%(refname)", "refs/cortex")).contains("pre-rollback-1");
    assertThat(status).contains("upgrade-001", "running, waiting in GREEN", "pre-rollback-1");
  }

  /** One {@code ./cortex --engine ENGINE …} call on the test's data directory and configuration; its stdout. */
  private String cortex(String engine, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ProjectRoot.resolve("cortex").toString(), "--engine", engine));
    command.addAll(List.of(args));
    command.addAll(List.of("--data", root.resolve("data").toString(), "--config", root.resolve("cortex.yaml").toString()));
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("CORTEX_DATA");
    builder.environment().remove("CORTEX_CONFIG");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("./cortex --engine " + engine + " " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("./cortex --engine %s %s\nstdout: %s\nstderr: %s", engine,
        String.join(" ", args), stdout, Files.readString(err, StandardCharsets.UTF_8)).isZero();
    return stdout;
  }
}
