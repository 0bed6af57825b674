package io.cortex.config;

import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses YAML text into plain maps, lists and scalars. Only standard YAML types are built
 * ({@link SafeConstructor}); duplicate keys are refused; a syntax error becomes a
 * {@link ConfigException} with a one-line, line-and-column problem.
 */
final class YamlDocument {

  private YamlDocument() {}

  /** The single document in {@code yaml}, or {@code null} when it is empty or only comments. */
  static Object parse(String yaml, String sourceName) {
    try {
      return newYaml().load(yaml);
    } catch (MarkedYAMLException e) {
      throw ConfigException.invalid(sourceName, List.of(describe(e)));
    } catch (YAMLException e) {
      throw ConfigException.invalid(sourceName, List.of("YAML error: " + oneLine(e.getMessage())));
    }
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /**
   * One line: {@code YAML syntax error at line 3, column 12: <problem> (<context> at line 2,
   * column 1)}. Errors found while building values (duplicate keys, unsupported tags) say
   * {@code YAML error} instead.
   */
  private static String describe(MarkedYAMLException e) {
    StringBuilder text = new StringBuilder(
        e instanceof ConstructorException ? "YAML error" : "YAML syntax error");
    Mark problemMark = e.getProblemMark();
    if (problemMark != null) {
      text.append(" at ").append(position(problemMark));
    }
    text.append(": ");
    String context = oneLine(e.getContext());
    String problem = oneLine(e.getProblem());
    if (context.isEmpty()) {
      return text.append(problem).toString();
    }
    if (!context.startsWith("while")) {
      // e.g. "expected a single document in the stream, but found another document"
      return text.append(context).append(", ").append(problem).toString();
    }
    text.append(problem).append(" (").append(context);
    Mark contextMark = e.getContextMark();
    if (contextMark != null && !samePosition(contextMark, problemMark)) {
      text.append(" at ").append(position(contextMark));
    }
    return text.append(")").toString();
  }

  private static String position(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static boolean samePosition(Mark a, Mark b) {
    return b != null && a.getLine() == b.getLine() && a.getColumn() == b.getColumn();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
