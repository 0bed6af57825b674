package io.cortex.config;

import io.cortex.base.CortexException;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration could not be used. Carries every problem found, each prefixed with the key
 * path it concerns, so that one run shows everything that needs fixing:
 *
 * <pre>{@code
 * Invalid configuration in config/cortex.yaml (2 problems):
 *   - checkpoint.maxCheckpoints: expected an integer >= 1, got 'ten'
 *   - recovery.strategy: expected one of IMMEDIATE, DECOMPOSE, PROGRESSIVE, got 'FAST'
 * }</pre>
 */
public class ConfigException extends CortexException {

  private final List<String> problems;

  private ConfigException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  private ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /** Every problem in the configuration from {@code sourceName}, reported together. */
  public static ConfigException invalid(String sourceName, List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    StringBuilder message = new StringBuilder("Invalid configuration in ")
        .append(sourceName)
        .append(" (")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      message.append(System.lineSeparator()).append("  - ").append(problem);
    }
    return new ConfigException(message.toString(), problems);
  }

  /** One value handed straight to a config record (not read from a file) is out of range. */
  public static ConfigException invalidValue(String problem) {
    return new ConfigException("Invalid configuration value: " + problem, List.of(problem));
  }

  /** The configuration file to load does not exist. */
  public static ConfigException fileNotFound(Path file, String whatToDo) {
    String where =
        file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")";
    String message = "Configuration file " + file + " does not exist" + where + "; " + whatToDo;
    return new ConfigException(message, List.of(message));
  }

  /** The configuration file exists but could not be read. */
  public static ConfigException unreadable(Path file, Exception cause) {
    return new ConfigException(
        "Configuration file " + file + " could not be read: " + cause.getMessage(), cause);
  }

  /** Every problem found, each starting with the key path it concerns ({@code server.port}). */
  public List<String> problems() {
    return problems;
  }
}
