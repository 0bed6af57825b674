package io.cortex;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import java.util.List;

/**
 * Where a session stands: its process instance, the phases active now and its checkpoints.
 *
 * @param running whether the session's process instance is still active
 * @param activePhases phases currently waiting to be completed (usually one)
 */
public record SessionStatus(Session session, boolean running, List<String> activePhases,
                            List<Checkpoint> checkpoints) {

  /** The newest checkpoint, or null when there is none — where an interrupted session resumes. */
  public Checkpoint lastCheckpoint() {
    return checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
  }
}
