package io.cortex.rollback.command;

import io.cortex.text.EditDistance;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The reserved words of the rollback grammar, and which of them a mistyped word was meant to be. */
final class Keywords {

  static final Set<String> DRY_RUN_FLAGS = Set.of("dry-run", "--dry-run", "dryrun", "preview");
  static final Set<String> FORCE_FLAGS = Set.of("force", "--force", "forced");
  static final String FLAGS_LIST = "dry run, dry-run, --dry-run, dryrun, preview, force, --force, forced";

  private static final Set<String> WORDS = Set.of("rollback", "to", "checkpoint", "session", "in", "last",
      "latest", "before", "dry", "dry-run", "--dry-run", "dryrun", "preview", "force", "--force", "forced");

  /** Words a typo is compared with; short ones ("to", "in") are left out, they match too much. */
  private static final List<String> SUGGESTIBLE = List.of("rollback", "checkpoint", "session", "last", "latest",
      "before", "passing", "dry-run", "dryrun", "preview", "force", "forced", "--dry-run", "--force");

  private Keywords() {
  }

  /** Whether the word is reserved; quoted words never are. */
  static boolean isKeyword(Word word) {
    return !word.quoted() && WORDS.contains(word.lower());
  }

  /** An unquoted word shaped like a command-line option, such as {@code --yes}. */
  static boolean looksLikeOption(Word word) {
    return !word.quoted() && word.text().startsWith("-");
  }

  /** The keyword this word is probably a typo of, if it is one or two edits away. */
  static Optional<String> closeTo(Word word) {
    String lower = word.lower();
    if (word.quoted() || lower.length() < 3 || WORDS.contains(lower)) {
      return Optional.empty();
    }
    int allowed = lower.length() <= 5 ? 1 : 2;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String keyword : SUGGESTIBLE) {
      int distance = EditDistance.between(lower, keyword);
      if (distance > 0 && distance <= allowed && distance < bestDistance) {
        best = keyword;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }
}
