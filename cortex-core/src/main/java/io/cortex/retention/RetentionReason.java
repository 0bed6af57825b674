package io.cortex.retention;

/** Which retention rule deletes a checkpoint. */
public enum RetentionReason {
  /** The session has more than {@link RetentionPolicy#maxCheckpoints()}; the oldest go. */
  COUNT,
  /** Older than {@link RetentionPolicy#retentionMs()}. */
  AGE,
  /** The repository's checkpoints hold more than {@link RetentionPolicy#maxTotalBytes()}; the oldest go. */
  SIZE
}
