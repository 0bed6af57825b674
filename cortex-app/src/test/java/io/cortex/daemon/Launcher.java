package io.cortex.daemon;

import io.cortex.client.DaemonAddress;
import io.cortex.client.OwnerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ./cortex} launcher of this checkout, run as a user runs it (a new process per call, the thin
 * client, the resident process it starts), on the test class path ({@code CORTEX_CLASSPATH}) instead of the built
 * jars. Resident processes it started stop after {@link #IDLE} without calls at the latest; tests stop them
 * themselves ({@link #stopResident}).
 */
final class Launcher {

  static final String IDLE = "120s";
  /** The checkout's root: the launcher's folder (tests run in the module's folder). */
  static final Path HOME = home();

  private static Path home() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (java.nio.file.Files.isRegularFile(dir.resolve("cortex")) && java.nio.file.Files.isDirectory(dir.resolve("cortex-app"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no ./cortex launcher above " + System.getProperty("user.dir"));
  }

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "[exit " + exit + ", stdout '" + out.strip() + "', stderr '" + err.strip() + "']";
    }
  }

  private final Path dataDir;
  private final Map<String, String> environment = new HashMap<>();

  Launcher(Path dataDir) {
    this.dataDir = dataDir;
    environment.put("CORTEX_CLASSPATH", System.getProperty("java.class.path"));
    environment.put("CORTEX_DAEMON_IDLE_TIMEOUT", IDLE);
  }

  Launcher with(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** {@code ./cortex --data DATA args…} from {@code cwd}. */
  Result cortex(Path cwd, String... args) {
    List<String> command = new ArrayList<>(List.of(HOME.resolve("cortex").toString(), "--data", dataDir.toString()));
    command.addAll(List.of(args));
    return run(cwd, command, 300);
  }

  Result run(Path cwd, List<String> command, int timeoutSeconds) {
    try {
      Path out = Files.createTempFile("cortex-out", ".txt");
      Path err = Files.createTempFile("cortex-err", ".txt");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s; "
              + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The live process that has the data directory, if any. */
  Optional<OwnerRecord> owner() {
    return OwnerRecord.read(DaemonAddress.of(dataDir).ownerFile()).filter(OwnerRecord::alive)
        .filter(o -> DataDirectoryOwnership.otherOwner(dataDir).isPresent());
  }

  /** {@code ./cortex daemon stop}, then makes sure: a test never leaves a process behind. */
  void stopResident(Path cwd) {
    Optional<OwnerRecord> owner = owner();
    cortex(cwd, "daemon", "stop");
    owner.flatMap(o -> ProcessHandle.of(o.pid())).ifPresent(p -> {
      try {
        p.onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    });
  }
}
