package io.cortex.observer;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.recovery.RecoveryAttempt;
import io.cortex.rollback.RollbackResult;

/**
 * Told about what Cortex did, after it is committed. Register with {@link Cortex#addObserver}.
 * Methods have empty defaults; override what you need. Observers must be quick and must not
 * throw (exceptions are logged and swallowed).
 *
 * <pre>{@code
 * cortex.addObserver(new CortexObserver() {
 *   public void checkpointCreated(Checkpoint c) { metrics.increment("checkpoints." + c.type()); }
 * });
 * }</pre>
 */
public interface CortexObserver {

  default void checkpointCreated(Checkpoint checkpoint) {
  }

  default void rollbackCompleted(RollbackResult result) {
  }

  default void recoveryAttempted(RecoveryAttempt attempt) {
  }
}
