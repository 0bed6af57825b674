package io.cortex.checkpoint;

import io.cortex.base.CortexException;

/** A checkpoint id asked for explicitly is taken already in its session. */
public class CheckpointExistsException extends CortexException {

  public CheckpointExistsException(String sessionId, String checkpointId) {
    super("Checkpoint '" + checkpointId + "' already exists in session " + sessionId
        + "; checkpoint ids are unique per session, choose another id.");
  }
}
