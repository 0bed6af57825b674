package io.cortex.rollback.command;

import io.cortex.checkpoint.Checkpoint;
import java.util.Objects;

/**
 * The checkpoint a rollback command means, and the session it belongs to.
 *
 * @param sessionId the session, named by the command or inferred
 * @param checkpoint the checkpoint to roll back to
 */
public record Resolution(String sessionId, Checkpoint checkpoint) {

  public Resolution {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(checkpoint, "checkpoint");
  }
}
