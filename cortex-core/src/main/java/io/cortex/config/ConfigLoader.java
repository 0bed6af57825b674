package io.cortex.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code cortex.yaml} into a validated {@link CortexConfig}. Missing keys (and an empty
 * file) take their defaults. Anything wrong, such as unknown keys, wrong types, out-of-range
 * values or YAML syntax errors, is collected and reported at once in one
 * {@link ConfigException} whose message lists every problem with its key path.
 *
 * <pre>{@code
 * CortexConfig config = ConfigLoader.load(Path.of("config/cortex.yaml"));
 * int kept = config.checkpoint().maxCheckpoints();
 *
 * // or from text, naming where it came from for the messages
 * CortexConfig fromText = ConfigLoader.parse("server:\n  port: 9090\n", "inline");
 *
 * try {
 *   ConfigLoader.parse("server:\n  port: 0\n", "inline");
 * } catch (ConfigException e) {
 *   e.problems();   // ["server.port: expected an integer between 1 and 65535, got 0"]
 * }
 * }</pre>
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads {@code file} (UTF-8 YAML).
   *
   * @throws ConfigException if the file does not exist, cannot be read or holds an invalid
   *     configuration
   */
  public static CortexConfig load(Path file) {
    return load(file, "create it, or use the built-in defaults (CortexConfig.defaults(), listed in docs/configuration.md)");
  }

  /** {@link #load(Path)}, saying {@code whatToDo} when the file does not exist. */
  static CortexConfig load(Path file, String whatToDo) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      throw ConfigException.fileNotFound(file, whatToDo);
    }
    return parse(read(file), file.toString());
  }

  /**
   * Parses YAML text; {@code sourceName} (usually the file name) heads the error message.
   *
   * @throws ConfigException listing every problem in {@code yaml}
   */
  public static CortexConfig parse(String yaml, String sourceName) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sourceName, "sourceName");
    Object document = YamlDocument.parse(yaml, sourceName);
    List<String> problems = new ArrayList<>();
    YamlSection root = YamlSection.root(document, problems);
    CortexConfig config = ConfigBinder.bind(root);
    root.reportUnknownKeys();
    if (!problems.isEmpty()) {
      throw ConfigException.invalid(sourceName, problems);
    }
    return config;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw ConfigException.unreadable(file, new IOException("it is not UTF-8 text", e));
    } catch (IOException e) {
      throw ConfigException.unreadable(file, e);
    }
  }
}
