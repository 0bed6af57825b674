package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.config.ConfigLocator;
import io.cortex.config.CortexConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where the CLI finds its state: the Cortex home (set by the {@code ./cortex} launcher), the
 * data directory ({@code --data}, else {@code CORTEX_DATA}, else {@code <home>/data}) and the
 * configuration file; and what the caller's terminal is, which decides how progress is shown.
 */
final class CliContext {

  static final String DATA_ENV = "CORTEX_DATA";

  private final Path dataOption;
  private final Path configOption;
  private final Map<String, String> environment;
  private final BooleanSupplier stderrTerminal;

  CliContext(Path dataOption, Path configOption, Map<String, String> environment) {
    this(dataOption, configOption, environment, CliContext::stderrOfThisProcessIsTerminal);
  }

  /**
   * @param stderrTerminal whether the standard error the user sees is a terminal: this process's own by default; a
   *     caller that runs commands for another process (a resident server) passes that process's answer
   */
  CliContext(Path dataOption, Path configOption, Map<String, String> environment, BooleanSupplier stderrTerminal) {
    this.dataOption = dataOption;
    this.configOption = configOption;
    this.environment = environment;
    this.stderrTerminal = stderrTerminal;
  }

  static Path home() {
    String home = System.getProperty("cortex.home");
    return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
  }

  Path dataDir() {
    if (dataOption != null) {
      return dataOption.toAbsolutePath().normalize();
    }
    String env = environment.get(DATA_ENV);
    return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize() : home().resolve("data");
  }

  CortexConfig config() {
    return ConfigLocator.loadEffective(configOption, environment, home());
  }

  Cortex open() {
    return Cortex.start(config(), dataDir());
  }

  /** Whether progress may redraw a bar in place (a terminal) or must print one line per step (a pipe, a file). */
  boolean stderrIsTerminal() {
    return stderrTerminal.getAsBoolean();
  }

  /**
   * Linux names the file behind each descriptor: a terminal is {@code /dev/pts/N} or {@code /dev/ttyN}. Elsewhere,
   * Java's console: present only when standard input and output are a terminal, which is then true of stderr too
   * as a rule.
   */
  static boolean stderrOfThisProcessIsTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    if (Files.exists(Path.of("/proc/self/fd"))) {
      try {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
