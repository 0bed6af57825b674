package io.cortex.config;

import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Set;

/** Describes a parsed YAML value the way a problem message quotes it. */
final class YamlValues {

  private static final int MAX_QUOTED_LENGTH = 60;

  private YamlValues() {}

  /**
   * {@code 'ten'} for text, {@code 42} or {@code true} for numbers and booleans, {@code a mapping}
   * or {@code a list} for collections. Never calls {@code toString()} on a collection, which may
   * be huge or (through YAML aliases) recursive.
   */
  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String text) {
      return "'" + shorten(text) + "'";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof Set<?>) {
      return "a set";
    }
    if (value instanceof Collection<?>) {
      return "a list";
    }
    if (value instanceof Date) {
      return "a timestamp";
    }
    if (value instanceof byte[]) {
      return "binary data";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private static String shorten(String text) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    return oneLine.length() <= MAX_QUOTED_LENGTH
        ? oneLine
        : oneLine.substring(0, MAX_QUOTED_LENGTH) + "...";
  }
}
