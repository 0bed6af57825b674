package io.cortex.rollback.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a command into words on whitespace. A word that starts with a quote and runs to the
 * matching quote followed by whitespace or the end is one quoted word, without its quotes.
 */
final class CommandWords {

  private static final Map<Character, Character> QUOTES = Map.of('"', '"', '\'', '\'', '`', '`',
      '\u201C', '\u201D', '\u2018', '\u2019');

  private CommandWords() {
  }

  static List<Word> split(String text) {
    List<Word> words = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (Character.isWhitespace(text.charAt(i))) {
        i++;
        continue;
      }
      int closing = closingQuote(text, i);
      if (closing > 0) {
        words.add(new Word(text.substring(i + 1, closing), words.size() + 1, true));
        i = closing + 1;
      } else {
        int end = i;
        while (end < n && !Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        words.add(new Word(text.substring(i, end), words.size() + 1, false));
        i = end;
      }
    }
    return words;
  }

  /** Index of the quote closing the one at {@code start}, or -1 when there is none. */
  private static int closingQuote(String text, int start) {
    Character close = QUOTES.get(text.charAt(start));
    if (close == null) {
      return -1;
    }
    for (int j = start + 1; j < text.length(); j++) {
      if (text.charAt(j) == close && (j + 1 == text.length() || Character.isWhitespace(text.charAt(j + 1)))) {
        return j;
      }
    }
    return -1;
  }
}
