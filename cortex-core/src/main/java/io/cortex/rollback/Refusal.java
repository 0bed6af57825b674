package io.cortex.rollback;

/**
 * One reason a rollback is not safe.
 *
 * @param bypassable whether {@code force} overrides it: true for refusals that protect work on
 *     disk (the PRE_ROLLBACK checkpoint keeps that work anyway), false for those that make the
 *     rollback impossible or wrong
 */
public record Refusal(Kind kind, String message, boolean bypassable) {

  public enum Kind {
    UNCOMMITTED_CHANGES,
    HEAD_MOVED,
    BRANCH_CHANGED,
    OPERATION_IN_PROGRESS,
    INTEGRITY_MISMATCH,
    /** The checkpoint's ref is missing or holds another commit than the catalogue row names. */
    REF_MOVED,
    SNAPSHOT_UNREADABLE,
    /** Undo: since the rollback, HEAD was moved to another branch or commit. */
    MOVED_SINCE_ROLLBACK
  }

  /** The first line of the message. */
  public String headline() {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
