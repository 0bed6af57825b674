package io.cortex.rollback;

import io.cortex.base.CortexException;

/** Git failed in the middle of a rollback; the PRE_ROLLBACK checkpoint holds what was on disk. */
public class RollbackFailedException extends CortexException {

  public RollbackFailedException(String sessionId, String target, String preRollbackId, Throwable cause) {
    super("Rollback of session " + sessionId + " to " + target + " failed: " + cause.getMessage()
        + ". Everything that was on disk is in checkpoint " + preRollbackId
        + "; run './cortex undo --session " + sessionId + "' to restore it.", cause);
  }
}
