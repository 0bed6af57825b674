package io.cortex.intent;

/** The operations that change a repository in several git steps and so record an {@link Intent} first. */
public enum IntentOperation {
  /** Reset the branch to a checkpoint's base commit and the working tree to its snapshot. */
  ROLLBACK,
  /** The same, back to the last PRE_ROLLBACK checkpoint. */
  UNDO,
  /** Delete the refs of checkpoints whose catalogue rows retention has deleted. */
  RETENTION
}
