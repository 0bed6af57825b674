package io.cortex.rollback;

import io.cortex.base.CortexException;

/**
 * A rollback or undo failed; the message says in which state it left the repository: untouched (a conflict
 * found before anything was written), put back as it was before (a failure while applying or verifying, reverted
 * automatically), or — only when that revert failed too — half-way, with what to do.
 */
public class RollbackFailedException extends CortexException {

  /** What the repository looks like after the failure. */
  public enum Aftermath {
    /** Found before anything was touched. */
    NOTHING_CHANGED,
    /** Applied in part, then put back to the PRE_ROLLBACK checkpoint's state. */
    REVERTED,
    /** Applied in part, and the revert failed too. */
    NOT_REVERTED
  }

  private final Aftermath aftermath;

  public RollbackFailedException(String sessionId, String target, String preRollbackId, Throwable cause) {
    this(sessionId, target, preRollbackId, cause, Aftermath.NOT_REVERTED);
  }

  public RollbackFailedException(String sessionId, String target, String preRollbackId, Throwable cause,
                                 Aftermath aftermath) {
    super("Rollback of session " + sessionId + " to " + target + " failed: " + cause.getMessage() + switch (aftermath) {
      case NOTHING_CHANGED -> ""; // a conflict's own message says so
      case REVERTED -> ". The repository was put back as it was before (checkpoint " + preRollbackId + ").";
      case NOT_REVERTED -> ". Everything that was on disk is in checkpoint " + preRollbackId
          + "; run './cortex undo --session " + sessionId + "' to restore it.";
    }, cause);
    this.aftermath = aftermath;
  }

  public Aftermath aftermath() {
    return aftermath;
  }
}
