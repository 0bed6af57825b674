package io.cortex.config;

/**
 * Periodic checkpoints taken without an explicit request ({@code checkpoint.autoCheckpoint}).
 *
 * @param enabled whether automatic checkpoints are taken at all
 * @param intervalMs time between two automatic checkpoints, at least {@value #MIN_INTERVAL_MS} ms
 */
public record AutoCheckpointConfig(boolean enabled, long intervalMs) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final long DEFAULT_INTERVAL_MS = 300_000L;
  public static final long MIN_INTERVAL_MS = 1_000L;

  public AutoCheckpointConfig {
    Ranges.requireInteger(
        "checkpoint.autoCheckpoint.intervalMs", intervalMs, MIN_INTERVAL_MS, Long.MAX_VALUE);
  }

  /** Automatic checkpoints off, every 5 minutes when switched on. */
  public static AutoCheckpointConfig defaults() {
    return new AutoCheckpointConfig(DEFAULT_ENABLED, DEFAULT_INTERVAL_MS);
  }
}
