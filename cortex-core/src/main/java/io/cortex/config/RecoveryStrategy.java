package io.cortex.config;

/** How a failed workflow is brought back to a checkpoint ({@code recovery.strategy}). */
public enum RecoveryStrategy {
  /** Roll back to the last checkpoint at once. */
  IMMEDIATE,
  /** Split the failed step into smaller steps and retry those. */
  DECOMPOSE,
  /** Roll back one checkpoint at a time until a retry succeeds. */
  PROGRESSIVE
}
