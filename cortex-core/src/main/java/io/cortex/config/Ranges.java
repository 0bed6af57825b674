package io.cortex.config;

/**
 * The wording of numeric range rules, shared by the record constructors and the YAML loader so a
 * rule reads the same wherever it is broken.
 */
final class Ranges {

  private Ranges() {}

  /** {@code "an integer >= 1"}, or {@code "an integer between 1 and 100"} when bounded above. */
  static String integer(long min, long max) {
    return isUnbounded(max) ? "an integer >= " + min : "an integer between " + min + " and " + max;
  }

  /** Whether {@code max} is only the limit of the Java type, not a rule of its own. */
  static boolean isUnbounded(long max) {
    return max == Integer.MAX_VALUE || max == Long.MAX_VALUE;
  }

  /** {@code "a number >= 1.0"}. */
  static String number(double min) {
    return "a number >= " + min;
  }

  /** Throws a {@link ConfigException} naming {@code key} unless {@code min <= value <= max}. */
  static void requireInteger(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw ConfigException.invalidValue(
          key + ": expected " + integer(min, max) + ", got " + value);
    }
  }

  /** Throws a {@link ConfigException} naming {@code key} unless {@code value} is finite and >= min. */
  static void requireNumber(String key, double value, double min) {
    if (!Double.isFinite(value) || value < min) {
      throw ConfigException.invalidValue(key + ": expected " + number(min) + ", got " + value);
    }
  }
}
