package io.cortex.checkpoint;

/** Why a checkpoint was taken. The names are the seed protocol's checkpoint types. */
public enum CheckpointType {
  /** Taken when a session's process instance starts. */
  SESSION_START,
  /** Taken when an activity marked with {@code cortex.phase} completes. */
  PHASE_END,
  /** Taken on request through the API, CLI, REST or Cockpit. */
  USER_REQUESTED,
  /** Taken periodically while a phase runs long. */
  AUTO_PERIODIC,
  /** Taken before every rollback and undo, so nothing they overwrite is lost. */
  PRE_ROLLBACK,
  /** Taken after a successful recovery. */
  RECOVERY_POINT
}
