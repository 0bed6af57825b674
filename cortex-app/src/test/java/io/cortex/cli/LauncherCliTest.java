package io.cortex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.testing.TempRepo;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI through the real {@code ./cortex} launcher script, in its own process, on a real repository: with a
 * terminal (a pseudo-terminal from {@code script}) and with pipes. The launcher runs from a scratch Cortex home
 * whose {@code cortex-app/target/cortex.jar} is a manifest jar over the test class path, so it starts the code under test
 * without building (a Maven build inside a test would fight the one running it).
 */
class LauncherCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path home;

  @TempDir
  Path temp;

  record Run(int exit, String out, String err) {
  }

  @BeforeAll
  static void installLauncher() throws IOException {
    Path launcher = home.resolve("cortex");
    Path script = Files.exists(Path.of("cortex")) ? Path.of("cortex") : Path.of("..", "cortex"); // module or root
    Files.copy(script, launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.createDirectories(home.resolve("cortex-app/target")).resolve("cortex.jar");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    StringBuilder urls = new StringBuilder();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        urls.append(Path.of(entry).toUri()).append(' ');
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, CortexCli.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls.toString().strip());
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // a manifest and nothing else
    }
  }

  @Test
  void helpAndSuggestionsThroughTheLauncher() throws Exception {
    // when
    Run help = launcher(false, List.of(), "phase", "complete", "--help");
    Run typo = launcher(false, List.of(), "rolback");

    // then
    assertThat(help.exit()).as(help.toString()).isZero();
    assertThat(help.out()).startsWith("Usage: cortex phase complete").contains("--next-cycle", "--finish", "--var");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("Did you mean rollback?");
  }

  @Test
  void progressIsABarOnATerminalOneLineOnAPipeAndNothingUnderJson() throws Exception {
    // given: a session on a repository with many changed files
    TempRepo repo = TempRepo.init(temp);
    for (int i = 0; i < 400; i++) {
      repo.write("src/F" + i + ".java", "class F" + i + " {}\n");
    }
    repo.commitAll("many files");
    Path data = temp.resolve("data");
    List<String> env = List.of("CORTEX_PROGRESS_AFTER_MS=0");
    Run start = launcher(false, env, "--data", data.toString(), "start", "planning", "--repo", repo.dir().toString(),
        "--session", "p1", "--json");
    assertThat(start.exit()).as(start.toString()).isZero();
    assertThat(JSON.readTree(start.out()).get("sessionId").asText()).isEqualTo("p1");
    for (int i = 0; i < 400; i++) {
      repo.write("src/F" + i + ".java", "class F" + i + " { int changed; }\n");
    }

    // when
    Run onTerminal = launcher(true, env, "--data", data.toString(), "checkpoint", "create", "--session", "p1");
    Run onPipe = launcher(false, env, "--data", data.toString(), "checkpoint", "create", "--session", "p1");
    Run json = launcher(false, env, "--data", data.toString(), "checkpoint", "create", "--session", "p1", "--json");
    Run quiet = launcher(false, env, "--data", data.toString(), "--quiet", "checkpoint", "create", "--session", "p1");

    // then: on the terminal a bar redrawn in place, with files, bytes and the time
    assertThat(onTerminal.exit()).as(onTerminal.toString()).isZero();
    assertThat(onTerminal.out()).contains("\rScanning files [").contains("/400 files").contains("done in")
        .contains("Checkpoint user-1 (USER_REQUESTED)");
    // on a pipe no bar, one line for the step
    assertThat(onPipe.exit()).as(onPipe.toString()).isZero();
    assertThat(onPipe.err()).doesNotContain("\r").doesNotContain("[=").contains("cortex: scanned 400 files");
    assertThat(onPipe.out()).contains("Checkpoint user-2");
    // nothing under --json or --quiet
    assertThat(json.err()).isEmpty();
    assertThat(JSON.readTree(json.out()).get("checkpointId").asText()).isEqualTo("user-3");
    assertThat(quiet.err()).isEmpty();
  }

  @Test
  void aTddSessionAndItsJsonThroughTheLauncher() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");
    String data = temp.resolve("data").toString();
    launcher(false, List.of(), "--data", data, "start", "tdd", "--repo", repo.dir().toString(), "--session", "t1");
    launcher(false, List.of(), "--data", data, "phase", "complete", "--session", "t1", "--phase", "RED");
    launcher(false, List.of(), "--data", data, "phase", "complete", "--session", "t1", "--phase", "GREEN");

    // when
    Run noChoice = launcher(false, List.of(), "--data", data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR",
        "--json");
    Run finish = launcher(false, List.of(), "--data", data, "phase", "complete", "--session", "t1", "--phase", "REFACTOR",
        "--finish", "--json");

    // then
    assertThat(noChoice.exit()).isEqualTo(1);
    assertThat(noChoice.err()).startsWith("cortex: Completing REFACTOR of session t1 needs a choice");
    JsonNode error = JSON.readTree(noChoice.out());
    assertThat(error.get("message").asText()).contains("--next-cycle");
    assertThat(finish.exit()).as(finish.toString()).isZero();
    JsonNode done = JSON.readTree(finish.out());
    assertThat(done.get("running").asBoolean()).isFalse();
    assertThat(done.get("checkpoints").get(0).get("checkpointId").asText()).isEqualTo("refactor-1");
    assertThat(done.get("next").get(0).asText()).contains("./cortex session resume t1");
  }

  /** The launcher as a user runs it; with {@code terminal}, under a pseudo-terminal (stdout and stderr merged). */
  private Run launcher(boolean terminal, List<String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("cortex").toString());
    command.addAll(List.of(args));
    List<String> full;
    if (terminal) {
      full = List.of("script", "-qec", String.join(" ", command.stream().map(LauncherCliTest::quote).toList()), "/dev/null");
    } else {
      full = command;
    }
    ProcessBuilder builder = new ProcessBuilder(full).directory(temp.toFile());
    builder.environment().put("CORTEX_FAST_START", "off");
    builder.environment().remove("CORTEX_DATA");
    builder.environment().remove("CORTEX_CONFIG");
    for (String pair : env) {
      builder.environment().put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("./cortex " + String.join(" ", args) + " did not finish");
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
