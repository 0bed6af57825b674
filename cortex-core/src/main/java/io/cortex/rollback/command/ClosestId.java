package io.cortex.rollback.command;

import io.cortex.text.EditDistance;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The existing id a mistyped one was probably meant to be: the one with the smallest edit
 * distance (ignoring case), if that is at most {@code max(2, length / 3)}; ties go to the newest.
 */
final class ClosestId {

  private ClosestId() {
  }

  static Optional<String> among(String typed, List<String> ids) {
    String lowerTyped = typed.toLowerCase(Locale.ROOT);
    int allowed = Math.max(2, typed.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int bestExactCase = Integer.MAX_VALUE;
    for (String id : ids) {
      int distance = EditDistance.between(lowerTyped, id.toLowerCase(Locale.ROOT));
      int exactCase = EditDistance.between(typed, id);
      boolean better = distance < bestDistance || (distance == bestDistance && exactCase <= bestExactCase);
      if (distance <= allowed && better) {
        best = id;
        bestDistance = distance;
        bestExactCase = exactCase;
      }
    }
    return Optional.ofNullable(best);
  }
}
