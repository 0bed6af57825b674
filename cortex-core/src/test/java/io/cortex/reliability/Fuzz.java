package io.cortex.reliability;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Seeded generators of hostile input for the fuzz tests: every run sees the same cases, and a failure names
 * the seed and case number that reproduce it.
 */
final class Fuzz {

  /** The documented id rule (docs/api.md, {@code Ids.RULE}), restated here as the tests' own oracle. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  static final List<String> TRAVERSAL = List.of("../", "..", "../../etc/passwd", "a/../b", "/abs", "a/b", "./x",
      "..\\x", "%2e%2e%2f", "~/x", "a//b", "x/");
  static final List<String> REF_BREAKERS = List.of(".lock", ".", "..", "@{", "~", "^", ":", "?", "*", "[", "\\",
      " ", "-", "/", "\u007f", "@", "{", "}", "'", "\"", "`", "$", ";", "|", "&", "#", "%", ",");
  static final List<String> CONTROL = List.of("\u0000", "\n", "\r", "\t", "\u001b[31m", "\u0007", "\u0085",
      "\u2028", "\b");
  static final List<String> UNICODE = List.of("é", "ß", "日本", "🚀", "\u202e", "\u200b", "e\u0301", "Ω", "ﬁ",
      "\uFEFF", "İ", "\uD83D");

  /** Multiplies the number of cases of every fuzz test: 1 in the suite, more in a soak run ({@code -Dcortex.soak.fuzz=20}). */
  static final int SCALE = Math.max(1, Integer.getInteger("cortex.soak.fuzz", 1));

  private Fuzz() {
  }

  /** Whether the documented rule accepts {@code id} (independent of the implementation). */
  static boolean validId(String id) {
    return id != null && ID.matcher(id).matches() && !id.contains("..") && !id.endsWith(".") && !id.endsWith(".lock");
  }

  /** A word that is a valid id: [a-z0-9-] with a letter first. */
  static String word(Random random, int maxLength) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    String chars = letters + "0123456789-";
    StringBuilder b = new StringBuilder().append(letters.charAt(random.nextInt(letters.length())));
    int n = random.nextInt(Math.max(1, maxLength));
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  /** A hostile id: traversal, ref-name breakers, control characters, unicode, too long, empty; rarely a valid one. */
  static String id(Random random) {
    String base = word(random, 20);
    return switch (random.nextInt(9)) {
      case 0 -> insert(random, base, pick(random, TRAVERSAL));
      case 1, 2 -> insert(random, base, pick(random, REF_BREAKERS));
      case 3 -> insert(random, base, pick(random, CONTROL));
      case 4 -> insert(random, base, pick(random, UNICODE));
      case 5 -> {
        StringBuilder b = new StringBuilder(base);
        int length = 101 + random.nextInt(200);
        while (b.length() < length) {
          b.append(word(random, 30));
        }
        yield b.substring(0, length);
      }
      case 6 -> switch (random.nextInt(5)) {
        case 0 -> "";
        case 1 -> " ";
        case 2 -> "\t";
        case 3 -> base + ".lock";
        default -> "." + base;
      };
      case 7 -> randomString(random, 1 + random.nextInt(30));
      default -> random.nextInt(4) == 0 ? base : insert(random, insert(random, base, pick(random, REF_BREAKERS)),
          pick(random, CONTROL));
    };
  }

  /** Any characters: printable ASCII, controls, surrogates, unicode. */
  static String randomString(Random random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        b.append((char) (32 + random.nextInt(95)));
      } else if (kind < 7) {
        b.append((char) random.nextInt(32));
      } else if (kind < 9) {
        b.append(pick(random, UNICODE));
      } else {
        b.append((char) random.nextInt(0xFFFF));
      }
    }
    return b.toString();
  }

  static String insert(Random random, String base, String piece) {
    int at = random.nextInt(base.length() + 1);
    return base.substring(0, at) + piece + base.substring(at);
  }

  static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** An id as a failure message can show it: control characters escaped. */
  static String show(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 32 || c == 127 || (c >= 0x80 && c < 0xA0) || (c >= 0xD800 && c <= 0xDFFF)) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
