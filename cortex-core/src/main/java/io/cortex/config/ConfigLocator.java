package io.cortex.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which configuration file applies, in this order: the file given on the command line
 * ({@code --config FILE}), else the file named by the environment variable
 * {@value #ENV_VARIABLE}, else {@code config/cortex.yaml} in the Cortex home directory if it
 * exists, else none (built-in defaults). A file named explicitly must exist.
 *
 * <pre>{@code
 * CortexConfig config = ConfigLocator.loadEffective(cliConfigOrNull, System.getenv(), cortexHome);
 * }</pre>
 */
public final class ConfigLocator {

  /** Environment variable naming the configuration file. */
  public static final String ENV_VARIABLE = "CORTEX_CONFIG";
  /** Location of the configuration file relative to the Cortex home directory. */
  public static final Path DEFAULT_RELATIVE_PATH = Path.of("config", "cortex.yaml");

  private ConfigLocator() {}

  /**
   * The configuration file to load, or empty when the built-in defaults apply.
   *
   * @param cliFile the {@code --config} argument, or {@code null} if not given
   * @param environment the process environment (usually {@link System#getenv()})
   * @param cortexHome the Cortex home directory
   */
  public static Optional<Path> locate(Path cliFile, Map<String, String> environment,
      Path cortexHome) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(cortexHome, "cortexHome");
    if (cliFile != null) {
      return Optional.of(cliFile);
    }
    String fromEnvironment = environment.get(ENV_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Optional.of(Path.of(fromEnvironment.strip()));
    }
    Path inHome = cortexHome.resolve(DEFAULT_RELATIVE_PATH);
    return Files.exists(inHome) ? Optional.of(inHome) : Optional.empty();
  }

  /**
   * Loads the file {@link #locate} picks, or returns {@link CortexConfig#defaults()} when none.
   *
   * @throws ConfigException if the picked file is missing or invalid
   */
  public static CortexConfig loadEffective(Path cliFile, Map<String, String> environment,
      Path cortexHome) {
    return locate(cliFile, environment, cortexHome)
        .map(file -> ConfigLoader.load(file, "create it, or point --config or CORTEX_CONFIG at an existing file"))
        .orElseGet(CortexConfig::defaults);
  }
}
