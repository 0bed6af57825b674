package io.cortex.config;

import io.cortex.text.EditDistance;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an unknown key was probably meant to be (typos, case, missing suffix). */
final class KeySuggestions {

  private static final int MIN_PREFIX_LENGTH = 3;

  private KeySuggestions() {}

  /**
   * The known key closest to {@code unknown} by edit distance (ignoring case), if it is close
   * enough to be a likely typo, or if one of the two is a prefix of the other
   * ({@code retention} for {@code retentionMs}).
   */
  static Optional<String> closest(String unknown, Collection<String> known) {
    String typed = unknown.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      String wanted = candidate.toLowerCase(Locale.ROOT);
      int distance = EditDistance.between(typed, wanted);
      if (isLikelyMeant(typed, wanted, distance) && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean isLikelyMeant(String typed, String wanted, int distance) {
    int allowed = Math.max(2, wanted.length() / 4);
    boolean prefix = Math.min(typed.length(), wanted.length()) >= MIN_PREFIX_LENGTH
        && (wanted.startsWith(typed) || typed.startsWith(wanted));
    return (distance <= allowed && distance < wanted.length()) || prefix;
  }
}
