package io.cortex.rollback.command;

import io.cortex.text.Echo;

import io.cortex.checkpoint.Ids;
import io.cortex.base.PhaseProperty;
import java.util.List;

/**
 * Reads the words of one rollback command, left to right; every mistake ends it with a
 * {@link ParseFailure} naming the word, its position and what was expected there.
 */
final class CommandGrammar {

  static final String EXAMPLE = "'rollback to checkpoint dor-checkpoint session feature-auth-001'";
  private static final String TARGET_FORMS = "a checkpoint id, 'last <phase>', 'before <phase>', 'last passing'"
      + " or 'latest'";
  private static final String FLAGS = "a flag (" + Keywords.FLAGS_LIST + ")";

  private final String source;
  private final List<Word> words;
  private int next;
  private Target target;
  private Word targetWord;
  private Word sessionWord;
  private Word lastId;
  private String lastIdKind;
  private boolean dryRun;
  private boolean force;

  CommandGrammar(String source, List<Word> words) {
    this.source = source;
    this.words = words;
  }

  ParsedCommand parse() {
    if (words.isEmpty()) {
      throw new ParseFailure("Empty command: expected a rollback command such as " + EXAMPLE
          + ", 'rollback session feature-auth-001 to dor-checkpoint' or 'rollback dor-checkpoint'.");
    }
    readCommandWord();
    while (next < words.size()) {
      readClause();
    }
    if (target == null) {
      throw new ParseFailure("Missing target in " + shown() + ": nothing after 'rollback' says which checkpoint"
          + " to roll back to; expected " + TARGET_FORMS + ", e.g. " + EXAMPLE + " or 'rollback to last green'.");
    }
    return ParsedCommand.success(target, sessionWord == null ? null : sessionWord.text(), new Flags(dryRun, force));
  }

  private void readCommandWord() {
    Word first = words.get(0);
    if (first.is("rollback")) {
      next = 1;
      return;
    }
    if (first.is("roll")) {
      if (words.size() > 1 && words.get(1).is("back")) {
        next = 2;
        return;
      }
      throw new ParseFailure(words.size() > 1
          ? "Unexpected word " + words.get(1).cited() + " in " + shown() + "; expected 'back' after 'roll' (word 1)."
          : "Missing 'back' after 'roll' (word 1) in " + shown() + "; expected 'roll back' or 'rollback'.");
    }
    throw new ParseFailure("Unexpected word " + first.cited() + " in " + shown()
        + "; a rollback command starts with 'rollback' or 'roll back', e.g. " + EXAMPLE + typoHint(first) + ".");
  }

  private void readClause() {
    Word word = words.get(next);
    int flagWords = flagLength(next);
    if (flagWords > 0) {
      applyFlag(word);
      next += flagWords;
    } else if (word.is("dry")) {
      throw new ParseFailure("Incomplete flag " + word.cited() + " in " + shown()
          + ": 'dry' must be followed by 'run' to ask for a dry run; expected " + FLAGS + ".");
    } else if (Keywords.looksLikeOption(word)) {
      throw unknownFlag(word);
    } else if (word.is("to") || word.is("checkpoint")) {
      next++;
      readTarget(word);
    } else if (word.is("session")) {
      next++;
      readSession(word);
    } else if (word.is("in")) {
      readInSession(word);
    } else if (nothingNamedYet() && (word.is("last") || word.is("latest") || word.is("before"))) {
      readTarget(null);
    } else if (nothingNamedYet() && !Keywords.isKeyword(word)) {
      readLeadingId(word);
    } else {
      throw unexpected(word);
    }
  }

  /** {@code rollback Y to X} names session Y; {@code rollback X} names checkpoint X. */
  private void readLeadingId(Word word) {
    int after = skipFlags(next + 1);
    if (after < words.size() && words.get(after).is("to")) {
      next++;
      nameSession(word);
    } else {
      readTarget(null);
    }
  }

  /** Reads the target at {@code next}; {@code intro} is the 'to' or 'checkpoint' before it, or null. */
  private void readTarget(Word intro) {
    if (intro != null && intro.is("to") && next < words.size() && words.get(next).is("checkpoint")) {
      intro = words.get(next++);
    }
    if (next >= words.size()) {
      throw new ParseFailure("Missing checkpoint after '" + intro.text() + "' (word " + intro.position() + ") in "
          + shown() + "; expected " + TARGET_FORMS + ".");
    }
    Word word = words.get(next);
    if (word.is("last")) {
      readLast(word);
    } else if (word.is("latest")) {
      next++;
      nameTarget(new Target.Latest(), word);
    } else if (word.is("before")) {
      next++;
      nameTarget(new Target.BeforePhase(readPhase(word)), word);
    } else if (Keywords.looksLikeOption(word)) {
      throw unknownFlag(word);
    } else if (Keywords.isKeyword(word)) {
      throw new ParseFailure("Missing checkpoint after '" + intro.text() + "' (word " + intro.position() + ") in "
          + shown() + ": " + word.cited() + " is a " + kindOf(next) + ", not a checkpoint id; expected " + TARGET_FORMS
          + " (quote an id that is spelled like a keyword, e.g. \"" + word.text() + "\").");
    } else {
      next++;
      requireValidId(word, "checkpoint id");
      remember(word, "checkpoint id");
      nameTarget(new Target.Exact(word.text()), word);
    }
  }

  /** {@code last}, {@code last passing} or {@code last <phase>}. */
  private void readLast(Word last) {
    next++;
    Word following = next < words.size() ? words.get(next) : null;
    if (following != null && following.is("passing")) {
      next++;
      nameTarget(new Target.LastPassing(), last);
    } else if (following != null && !Keywords.isKeyword(following) && !Keywords.looksLikeOption(following)) {
      nameTarget(new Target.LastOfPhase(readPhase(last)), last);
    } else {
      nameTarget(new Target.Latest(), last);
    }
  }

  private String readPhase(Word keyword) {
    Word phase = next < words.size() ? words.get(next) : null;
    if (phase == null || Keywords.isKeyword(phase) || Keywords.looksLikeOption(phase)) {
      throw new ParseFailure("Missing phase after '" + keyword.text() + "' (word " + keyword.position() + ") in "
          + shown() + (phase == null ? "" : ": " + phase.cited() + " is a " + kindOf(next) + ", not a phase")
          + "; expected '" + keyword.lower() + " <phase>', e.g. '" + keyword.lower() + " REFACTOR'.");
    }
    if (!PhaseProperty.isValidPhaseName(phase.text())) {
      throw new ParseFailure("Invalid phase " + phase.cited() + " in " + shown() + ": phase names use "
          + PhaseProperty.RULE + ".");
    }
    next++;
    remember(phase, "phase");
    return phase.text();
  }

  private void readInSession(Word in) {
    Word following = next + 1 < words.size() ? words.get(next + 1) : null;
    if (following == null || !following.is("session")) {
      throw new ParseFailure((following == null ? "Missing 'session <id>' after " + in.cited()
          : "Unexpected word " + following.cited() + " after " + in.cited()) + " in " + shown()
          + "; expected 'in session <id>'" + (following == null ? "" : typoHint(following)) + ".");
    }
    next += 2;
    readSession(following);
  }

  private void readSession(Word keyword) {
    Word id = next < words.size() ? words.get(next) : null;
    if (id == null || Keywords.isKeyword(id) || Keywords.looksLikeOption(id)) {
      throw new ParseFailure("Missing session id after 'session' (word " + keyword.position() + ") in " + shown()
          + (id == null ? "" : ": " + id.cited() + " is a " + kindOf(next) + ", not a session id")
          + "; expected 'session <id>'.");
    }
    next++;
    nameSession(id);
  }

  private void nameSession(Word id) {
    requireValidId(id, "session id");
    if (sessionWord != null) {
      throw new ParseFailure("Second session " + id.cited() + " in " + shown() + ": the command already names"
          + " session " + sessionWord.cited() + "; name one session.");
    }
    remember(id, "session id");
    sessionWord = id;
  }

  private void nameTarget(Target named, Word at) {
    if (target != null) {
      throw new ParseFailure("Second target " + Echo.quoted(named.describe()) + " (word " + at.position() + ") in "
          + shown() + ": the command already rolls back to " + Echo.quoted(target.describe()) + " (word " + targetWord.position()
          + "); name one checkpoint.");
    }
    target = named;
    targetWord = at;
  }

  private void requireValidId(Word id, String kind) {
    if (!Ids.isValid(id.text())) {
      throw new ParseFailure("Invalid " + kind + " " + id.cited() + " in " + shown() + ": use " + Ids.RULE + ".");
    }
  }

  /** How many words the flag at {@code index} spans, 0 when there is none. */
  private int flagLength(int index) {
    if (index >= words.size()) {
      return 0;
    }
    Word word = words.get(index);
    if (Keywords.DRY_RUN_FLAGS.contains(word.lower()) || Keywords.FORCE_FLAGS.contains(word.lower())) {
      return word.quoted() ? 0 : 1;
    }
    return word.is("dry") && index + 1 < words.size() && words.get(index + 1).is("run") ? 2 : 0;
  }

  /** "flag" or "keyword", for the reserved word at {@code index}. */
  private String kindOf(int index) {
    Word word = words.get(index);
    boolean flag = flagLength(index) > 0 || word.is("dry") || Keywords.looksLikeOption(word);
    return flag ? "flag" : "keyword";
  }

  private int skipFlags(int index) {
    int at = index;
    for (int length = flagLength(at); length > 0; length = flagLength(at)) {
      at += length;
    }
    return at;
  }

  private void applyFlag(Word word) {
    if (Keywords.FORCE_FLAGS.contains(word.lower())) {
      force = true;
    } else {
      dryRun = true;
    }
  }

  private boolean nothingNamedYet() {
    return target == null && sessionWord == null;
  }

  private void remember(Word id, String kind) {
    lastId = id;
    lastIdKind = kind;
  }

  private ParseFailure unknownFlag(Word word) {
    return new ParseFailure("Unknown flag " + word.cited() + " in " + shown() + "; flags are " + Keywords.FLAGS_LIST
        + typoHint(word) + ".");
  }

  private ParseFailure unexpected(Word word) {
    String expected;
    if (target == null && sessionWord == null) {
      expected = TARGET_FORMS + ", 'to <checkpoint>', 'session <id>' or " + FLAGS;
    } else if (target == null) {
      expected = "'to <checkpoint>' or " + FLAGS;
    } else if (sessionWord == null) {
      expected = "'session <id>', " + FLAGS + " or the end of the command";
    } else {
      expected = FLAGS + " or the end of the command";
    }
    String readAsId = lastId != null && Keywords.closeTo(lastId).isPresent()
        ? " (" + lastId.cited() + " was read as a " + lastIdKind + "; did you mean '"
          + Keywords.closeTo(lastId).get() + "'?)" : "";
    return new ParseFailure("Unexpected word " + word.cited() + " in " + shown() + "; expected " + expected
        + typoHint(word) + readAsId + ".");
  }

  private static String typoHint(Word word) {
    return Keywords.closeTo(word).map(keyword -> " (did you mean '" + keyword + "'?)").orElse("");
  }

  private String shown() {
    return Echo.quoted(source);
  }
}
