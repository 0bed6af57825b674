package io.cortex.cli;

import io.cortex.base.CortexException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code name=value} options; values become booleans, numbers or text, as JSON would type them. */
final class KeyValues {

  private KeyValues() {
  }

  static Map<String, Object> parse(List<String> pairs, String option) {
    Map<String, Object> result = new LinkedHashMap<>();
    if (pairs == null) {
      return result;
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CortexException("Bad " + option + " '" + pair + "': use " + option + " name=value");
      }
      result.put(pair.substring(0, eq).trim(), typed(pair.substring(eq + 1).trim()));
    }
    return result;
  }

  static Object typed(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    if (value.matches("-?\\d{1,18}")) {
      long l = Long.parseLong(value);
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    if (value.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?")) {
      return Double.valueOf(value);
    }
    return value;
  }
}
