package io.cortex.cli;

import io.cortex.config.ConfigLocator;
import io.cortex.config.CortexConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where one CLI call finds its state and who made it: the Cortex home (set by the {@code ./cortex} launcher), the
 * data directory ({@code --data}, else {@code CORTEX_DATA}, else {@code <home>/data}), the configuration file, and
 * the caller's working directory, environment, user and terminal — this process's in-process, the client's when
 * the resident Cortex runs the call. A relative path, in an option or in {@code CORTEX_DATA}/{@code CORTEX_CONFIG},
 * resolves against the caller's working directory.
 */
final class CliContext {

  static final String DATA_ENV = "CORTEX_DATA";

  private final Path dataOption;
  private final Path configOption;
  private final Invocation invocation;

  CliContext(Path dataOption, Path configOption, Invocation invocation) {
    this.dataOption = dataOption;
    this.configOption = configOption;
    this.invocation = invocation;
  }

  static Path home() {
    String home = System.getProperty("cortex.home");
    return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
  }

  Path dataDir() {
    if (dataOption != null) {
      return invocation.cwd().resolve(dataOption).normalize();
    }
    String env = invocation.environment().get(DATA_ENV);
    return env != null && !env.isBlank() ? invocation.cwd().resolve(env.strip()).normalize() : home().resolve("data");
  }

  /** The configuration file given ({@code --config}, else {@code CORTEX_CONFIG}), made absolute against the caller's directory. */
  Path configFile() {
    return ConfigLocator.locate(configOption == null ? null : invocation.cwd().resolve(configOption), environment(), home())
        .orElse(null);
  }

  CortexConfig config() {
    return ConfigLocator.loadEffective(configOption == null ? null : invocation.cwd().resolve(configOption),
        environment(), home());
  }

  /** The caller's environment, with {@code CORTEX_CONFIG} made absolute against its working directory. */
  Map<String, String> environment() {
    String config = invocation.environment().get(ConfigLocator.ENV_VARIABLE);
    if (config == null || config.isBlank()) {
      return invocation.environment();
    }
    Map<String, String> environment = new HashMap<>(invocation.environment());
    environment.put(ConfigLocator.ENV_VARIABLE, invocation.cwd().resolve(config.strip()).toString());
    return environment;
  }

  /** The engine for one command; close it when the command ends. {@code writes}: the command may write. */
  CliEngine open(boolean writes) {
    return invocation.engines().open(config(), dataDir(), writes);
  }

  /** Who runs the command, as the audit log names them ({@code cli:<user>}). */
  String user() {
    return invocation.user();
  }

  /** Whether the caller's standard error is a terminal (progress may be drawn there). */
  boolean stderrIsTerminal() {
    return invocation.stderrTerminal();
  }

  /** Whether the caller's standard output is a terminal. */
  boolean stdoutIsTerminal() {
    return invocation.stdoutTerminal();
  }

  /** The caller's terminal width in columns, 0 when unknown or not a terminal. */
  int terminalColumns() {
    return invocation.columns();
  }

  /** The caller's standard input. */
  InputStream stdin() {
    return invocation.stdin();
  }

  /** Whether {@code CORTEX_DEBUG} is set for this call: unexpected errors print their stack trace. */
  boolean debug() {
    return invocation.environment().get("CORTEX_DEBUG") != null;
  }
}
