package io.cortex.rollback.command;

import io.cortex.text.Echo;

/**
 * Reads a natural-language rollback command. Pure: no I/O, no state; safe to share.
 *
 * <p>Keywords ignore case, ids keep theirs, and quotes around an id are dropped (a quoted word is
 * never a keyword, so {@code rollback to "latest"} names a checkpoint called {@code latest}).
 * The command starts with {@code rollback} or {@code roll back}, then one of:
 * <ul>
 *   <li>{@code to checkpoint X session Y}, {@code to checkpoint X in session Y}, {@code to X session Y}</li>
 *   <li>{@code session Y to X}, {@code session Y to checkpoint X}</li>
 *   <li>{@code Y to X} (a first word that is no keyword, followed by {@code to}, is the session)</li>
 *   <li>{@code X}, {@code to X}, {@code to checkpoint X} (no session: the caller infers it)</li>
 * </ul>
 * where X is a checkpoint id or a meaning: {@code last <phase>}, {@code before <phase>},
 * {@code last passing}, {@code last} or {@code latest}. Flags may stand anywhere after
 * {@code rollback}: {@code dry run}, {@code dry-run}, {@code --dry-run}, {@code dryrun},
 * {@code preview} ask for a dry run; {@code force}, {@code --force}, {@code forced} force it.
 * Anything else makes the command invalid with an error naming the word, its position and
 * what was expected; no word is ever guessed away.
 *
 * <pre>{@code
 * RollbackCommandParser parser = new RollbackCommandParser();
 *
 * ParsedCommand exact = parser.parse("rollback to checkpoint dor-checkpoint session feature-auth-001");
 * exact.checkpointId();   // "dor-checkpoint"
 * exact.sessionId();      // "feature-auth-001"
 *
 * ParsedCommand meaning = parser.parse("roll back feature-auth-001 to last GREEN --dry-run");
 * meaning.target();       // Target.LastOfPhase[phase=GREEN]
 * meaning.flags();        // Flags[dryRun=true, force=false]
 *
 * ParsedCommand wrong = parser.parse("rollback to dor-1 please");
 * wrong.valid();          // false
 * wrong.error();          // "Unexpected word 'please' (word 4) in 'rollback to dor-1 please'; expected ..."
 * }</pre>
 */
public final class RollbackCommandParser {

  /** Parses {@code text}; never throws, an unreadable text gives an invalid command with the reason. */
  public ParsedCommand parse(String text) {
    String source = text == null ? "" : text.strip();
    try {
      return new CommandGrammar(source, CommandWords.split(source)).parse();
    } catch (ParseFailure failure) {
      return ParsedCommand.failure(printable(failure.getMessage()));
    }
  }

  /** The error quotes the text, through {@link Echo}: cut, control and bidirectional characters escaped. */
  private static String printable(String message) {
    return Echo.message(message);
  }
}
