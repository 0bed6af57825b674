package io.cortex.text;

/**
 * How a message shows what the user gave (an id, a command, a configured value): every echo in Cortex goes through
 * here, so none can flood a terminal or a log, garble it, or forge output.
 *
 * <pre>{@code
 * throw new CortexException("Unknown session " + Echo.quoted(sessionId) + ": ...");
 * // Unknown session 'aaaa…aaaa' (10000 characters): ...
 * }</pre>
 *
 * <ul>
 *   <li>cut to {@value #MAX_SHOWN} characters, the rest replaced by {@code …} and the full length;</li>
 *   <li>control characters (escape sequences, carriage returns, NUL), Unicode format characters and bidirectional
 *       overrides shown as {@code \\uXXXX}.</li>
 * </ul>
 */
public final class Echo {

  /** The most characters of a given value a message shows. */
  public static final int MAX_SHOWN = 100;

  private Echo() {
  }

  /** {@code 'value'}, cut and escaped. */
  public static String quoted(String value) {
    return "'" + shown(value) + "'";
  }

  /** The value cut to {@value #MAX_SHOWN} characters (then followed by its length) and escaped. */
  public static String shown(String value) {
    if (value == null) {
      return "null";
    }
    int length = value.codePointCount(0, value.length());
    if (length <= MAX_SHOWN) {
      return escaped(value, false);
    }
    int head = MAX_SHOWN * 2 / 3;
    int tail = MAX_SHOWN - head - 1;
    String start = value.substring(0, value.offsetByCodePoints(0, head));
    String end = value.substring(value.offsetByCodePoints(0, length - tail));
    return escaped(start, false) + "…" + escaped(end, false) + " (" + length + " characters)";
  }

  /**
   * A whole message for a terminal: its line breaks kept, every other control or format character escaped. Not
   * cut: the values in it were cut where they were quoted.
   */
  public static String message(String message) {
    return message == null ? "null" : escaped(message, true);
  }

  private static String escaped(String text, boolean keepNewlines) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if ((c == '\n' && keepNewlines) || !(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }
}
