package io.cortex.rollback.command;

import io.cortex.text.Echo;

import java.util.Locale;

/**
 * One word of a command.
 *
 * @param text the word as written, without surrounding quotes
 * @param position 1 for the first word of the command
 * @param quoted whether the word was quoted; a quoted word is always an id, never a keyword
 */
record Word(String text, int position, boolean quoted) {

  /** Whether this is the unquoted keyword {@code keyword} (lower case), ignoring case. */
  boolean is(String keyword) {
    return !quoted && text.toLowerCase(Locale.ROOT).equals(keyword);
  }

  String lower() {
    return text.toLowerCase(Locale.ROOT);
  }

  /** {@code 'text' (word N)}, for messages. */
  String cited() {
    return Echo.quoted(text) + " (word " + position + ")";
  }
}
