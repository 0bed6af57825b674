package io.cortex.checkpoint;

import io.cortex.base.CortexException;

/** A checkpoint id asked for explicitly is taken already in its session. */
public class CheckpointExistsException extends CortexException {

  public CheckpointExistsException(String sessionId, String checkpointId) {
    super("Checkpoint '" + checkpointId + "' already exists in session " + sessionId
        + "; checkpoint ids are unique per session, choose another id.");
  }

  /** The id has no catalogue row, but its ref holds a checkpoint that {@code rebuild} can restore. */
  public CheckpointExistsException(String sessionId, String checkpointId, String refName) {
    super("Checkpoint '" + checkpointId + "' already exists in session " + sessionId + ": its ref " + refName
        + " holds a snapshot that has no catalogue row. Run 'cortex rebuild --session " + sessionId
        + "' to list it again, or choose another id.");
  }
}
