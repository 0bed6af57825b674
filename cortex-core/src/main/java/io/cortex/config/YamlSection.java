package io.cortex.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One mapping of a parsed YAML document, read key by key with type and range checks. A value
 * that is missing or empty yields its default; a value that is wrong is recorded as a problem
 * (prefixed with its key path) and also yields the default, so reading carries on and every
 * problem is found in one pass. Keys that were never asked for are reported by
 * {@link #reportUnknownKeys()}.
 */
final class YamlSection {

  private static final String ROOT_NAME = "(root)";
  private static final Pattern INTEGER_TEXT = Pattern.compile("[-+]?\\d+");

  private final String path;
  private final Map<?, ?> values;
  private final List<String> problems;
  private final Set<String> knownKeys = new LinkedHashSet<>();
  private final List<YamlSection> children = new ArrayList<>();
  /** Whether the keys are names the user chooses (see {@link #entryKeys()}), not fixed keys. */
  private boolean userChosenKeys;

  private YamlSection(String path, Map<?, ?> values, List<String> problems) {
    this.path = path;
    this.values = values;
    this.problems = problems;
  }

  /** The top-level mapping of {@code document}; an empty document is an empty mapping. */
  static YamlSection root(Object document, List<String> problems) {
    if (document == null) {
      return new YamlSection("", Map.of(), problems);
    }
    if (document instanceof Map<?, ?> map) {
      return new YamlSection("", map, problems);
    }
    problems.add(ROOT_NAME + ": expected a mapping of sections (key: value pairs), got "
        + YamlValues.describe(document));
    return new YamlSection("", Map.of(), problems);
  }

  /** The nested mapping under {@code key}; missing or empty is an empty mapping. */
  YamlSection section(String key) {
    Object value = lookup(key);
    Map<?, ?> map = Map.of();
    if (value instanceof Map<?, ?> nested) {
      map = nested;
    } else if (value != null) {
      problem(key, "expected a mapping (key: value pairs), got " + YamlValues.describe(value));
    }
    YamlSection child = new YamlSection(pathOf(key), map, problems);
    children.add(child);
    return child;
  }

  /** A whole number between {@code min} and {@code max} that fits in an {@code int}. */
  int integer(String key, int defaultValue, int min, int max) {
    return (int) longInteger(key, defaultValue, min, max);
  }

  /** A whole number between {@code min} and {@code max}. */
  long longInteger(String key, long defaultValue, long min, long max) {
    Object value = lookup(key);
    if (value == null) {
      return defaultValue;
    }
    String hint = "";
    if (value instanceof Integer || value instanceof Long) {
      long number = ((Number) value).longValue();
      if (number >= min && number <= max) {
        return number;
      }
      hint = number > max ? tooLarge(max) : "";
    } else if (value instanceof BigInteger) {
      hint = tooLarge(max);
    } else if (value instanceof String text && INTEGER_TEXT.matcher(text.strip()).matches()) {
      hint = quotedHint();
    }
    problem(key, "expected " + Ranges.integer(min, max) + ", got " + YamlValues.describe(value)
        + hint);
    return defaultValue;
  }

  /** A finite number, whole or with a fraction, of at least {@code min}. */
  double number(String key, double defaultValue, double min) {
    Object value = lookup(key);
    if (value == null) {
      return defaultValue;
    }
    String hint = "";
    if (value instanceof Number number) {
      double result = number.doubleValue();
      if (Double.isFinite(result) && result >= min) {
        return result;
      }
    } else if (value instanceof String text && parsesAsNumber(text)) {
      hint = quotedHint();
    }
    problem(key, "expected " + Ranges.number(min) + ", got " + YamlValues.describe(value) + hint);
    return defaultValue;
  }

  /** A real YAML boolean ({@code true} or {@code false}, unquoted). */
  boolean bool(String key, boolean defaultValue) {
    Object value = lookup(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    String hint = value instanceof String text
        && (text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false"))
        ? quotedHint()
        : "";
    problem(key, "expected true or false, got " + YamlValues.describe(value) + hint);
    return defaultValue;
  }

  /** Text. Numbers and booleans are refused (quote them) since YAML would have changed them. */
  String string(String key, String defaultValue) {
    Object value = lookup(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof String text) {
      return text;
    }
    String hint = value instanceof Number || value instanceof Boolean
        ? " (put it in quotes to use it as text)"
        : "";
    problem(key, "expected a string, got " + YamlValues.describe(value) + hint);
    return defaultValue;
  }

  /**
   * Non-blank text, stripped, described in problems as {@code expected}; missing, blank or not
   * text is a problem and yields {@code null}.
   */
  String requiredText(String key, String expected) {
    Object value = lookup(key);
    if (value instanceof String text && !text.isBlank()) {
      return text.strip();
    }
    String hint = value instanceof Number || value instanceof Boolean
        ? " (put it in quotes to use it as text)"
        : "";
    problem(key, "expected " + expected + ", got " + YamlValues.describe(value) + hint);
    return null;
  }

  /**
   * One of the constants of {@code type}, named in any case. A {@code null} default makes the
   * value required: missing is then a problem too, and every problem yields {@code null}.
   */
  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    Object value = lookup(key);
    if (value == null && defaultValue != null) {
      return defaultValue;
    }
    E[] constants = type.getEnumConstants();
    if (value instanceof String text) {
      String name = text.strip().toUpperCase(Locale.ROOT);
      for (E constant : constants) {
        if (constant.name().equals(name)) {
          return constant;
        }
      }
    }
    String allowed = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
    problem(key, "expected one of " + allowed + ", got " + YamlValues.describe(value));
    return defaultValue;
  }

  /**
   * The keys of this mapping in file order, for a mapping whose keys are names the user chooses
   * (process keys, phase names, error codes) rather than fixed keys. None of them is reported as
   * unknown; checking them (and reporting keys that are not text) is up to the caller, with
   * {@link #keyProblem}.
   */
  List<Object> entryKeys() {
    userChosenKeys = true;
    List<Object> keys = new ArrayList<>(values.keySet());
    for (Object key : keys) {
      if (key instanceof String name) {
        knownKeys.add(name);
      }
    }
    return keys;
  }

  /** Records a problem with the value of {@code key} in this section. */
  void problem(String key, String text) {
    problems.add(pathOf(key) + ": " + text);
  }

  /**
   * Records a problem with a user-chosen {@code key} itself: {@code "<path>.<key>: expected
   * <expected>, got <key><hint>"}. A key that cannot be part of a path (blank, or no key at all)
   * is reported at this section's path instead; a number or boolean key gets a hint to quote it
   * when {@code hint} is empty.
   */
  void keyProblem(Object key, String expected, String hint) {
    String quoteHint = key instanceof Number || key instanceof Boolean
        ? " (put it in quotes to use it as text)"
        : "";
    String text = "expected " + expected + ", got " + YamlValues.describe(key)
        + (hint.isEmpty() ? quoteHint : hint);
    if (key == null || String.valueOf(key).isBlank()) {
      problems.add((path.isEmpty() ? ROOT_NAME : path) + ": " + text);
    } else {
      problem(String.valueOf(key), text);
    }
  }

  /** The key path of {@code key} in this section, as problems name it. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Records every key of this section and of its nested sections that was never read, with the
   * likeliest intended key when one is close.
   */
  void reportUnknownKeys() {
    for (Object key : userChosenKeys ? List.of() : values.keySet()) {
      if (!(key instanceof String name) || !knownKeys.contains(name)) {
        String typed = String.valueOf(key);
        problem(typed, "unknown key " + suggestionFor(typed));
      }
    }
    children.forEach(YamlSection::reportUnknownKeys);
  }

  private String suggestionFor(String typed) {
    return KeySuggestions.closest(typed, knownKeys)
        .map(known -> "(did you mean '" + known + "'?)")
        .orElseGet(() -> "(known keys: " + String.join(", ", knownKeys) + ")");
  }

  private Object lookup(String key) {
    knownKeys.add(key);
    return values.get(key);
  }

  /** Names the upper limit when the expectation ({@code >= min}) does not already say it. */
  private static String tooLarge(long max) {
    return Ranges.isUnbounded(max) ? " (too large; at most " + max + ")" : "";
  }

  private static String quotedHint() {
    return " (a quoted string; remove the quotes)";
  }

  private static boolean parsesAsNumber(String text) {
    try {
      Double.parseDouble(text.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
