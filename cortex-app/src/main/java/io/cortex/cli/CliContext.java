package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.config.ConfigLocator;
import io.cortex.config.CortexConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds its state: the Cortex home (set by the {@code ./cortex} launcher), the
 * data directory ({@code --data}, else {@code CORTEX_DATA}, else {@code <home>/data}) and the
 * configuration file.
 */
final class CliContext {

  static final String DATA_ENV = "CORTEX_DATA";

  private final Path dataOption;
  private final Path configOption;
  private final Map<String, String> environment;

  CliContext(Path dataOption, Path configOption, Map<String, String> environment) {
    this.dataOption = dataOption;
    this.configOption = configOption;
    this.environment = environment;
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
}
