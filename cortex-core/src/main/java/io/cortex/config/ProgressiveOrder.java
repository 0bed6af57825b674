package io.cortex.config;

/**
 * In which order the {@link RecoveryStrategy#PROGRESSIVE PROGRESSIVE} strategy tries the
 * checkpoints of a failed workflow with the phase gate ({@code recovery.progressiveOrder}).
 */
public enum ProgressiveOrder {
  /** The most recent checkpoint first, then each older one: the least work is lost. */
  NEWEST_FIRST,
  /** The oldest checkpoint first, then each newer one: the safest state is tried first. */
  OLDEST_FIRST,
  /** Binary search between the oldest good and the newest checkpoint: fewest gate runs. */
  BISECT
}
