package io.cortex.checkpoint;

import io.cortex.CortexException;
import java.util.List;

/** No checkpoint with this id exists in the session. */
public class CheckpointNotFoundException extends CortexException {

  public CheckpointNotFoundException(String sessionId, String checkpointId, List<String> available) {
    super("Invalid checkpoint: " + checkpointId + " not found in session " + sessionId
        + (available.isEmpty() ? " (the session has no checkpoints)" : ". Available: " + String.join(", ", available)));
  }
}
