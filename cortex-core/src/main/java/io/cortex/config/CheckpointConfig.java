package io.cortex.config;

import java.util.Objects;

/**
 * How many checkpoints are kept, for how long, how often they may be taken and which files they
 * include ({@code checkpoint} section).
 *
 * @param maxCheckpoints checkpoints kept per workflow before the oldest are pruned, at least 1
 * @param retentionMs age after which a checkpoint may be pruned, 0 or more
 * @param minIntervalMs minimum time between two checkpoints of one workflow, 0 or more
 * @param maxFileSizeBytes files larger than this are skipped (and reported) by snapshots, >= 1
 * @param autoCheckpoint periodic automatic checkpoints
 */
public record CheckpointConfig(
    int maxCheckpoints,
    long retentionMs,
    long minIntervalMs,
    long maxFileSizeBytes,
    AutoCheckpointConfig autoCheckpoint) {

  public static final int DEFAULT_MAX_CHECKPOINTS = 100;
  public static final int MIN_MAX_CHECKPOINTS = 1;
  /** Seven days. */
  public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
  public static final long MIN_RETENTION_MS = 0L;
  public static final long DEFAULT_MIN_INTERVAL_MS = 0L;
  public static final long MIN_MIN_INTERVAL_MS = 0L;
  /** 100 MiB. */
  public static final long DEFAULT_MAX_FILE_SIZE_BYTES = 100L * 1024 * 1024;
  public static final long MIN_MAX_FILE_SIZE_BYTES = 1L;

  public CheckpointConfig {
    Ranges.requireInteger(
        "checkpoint.maxCheckpoints", maxCheckpoints, MIN_MAX_CHECKPOINTS, Integer.MAX_VALUE);
    Ranges.requireInteger("checkpoint.retentionMs", retentionMs, MIN_RETENTION_MS, Long.MAX_VALUE);
    Ranges.requireInteger(
        "checkpoint.minIntervalMs", minIntervalMs, MIN_MIN_INTERVAL_MS, Long.MAX_VALUE);
    Ranges.requireInteger(
        "checkpoint.maxFileSizeBytes", maxFileSizeBytes, MIN_MAX_FILE_SIZE_BYTES, Long.MAX_VALUE);
    Objects.requireNonNull(autoCheckpoint, "autoCheckpoint");
  }

  /** 100 checkpoints kept 7 days, no minimum interval, files up to 100 MiB, no auto checkpoints. */
  public static CheckpointConfig defaults() {
    return new CheckpointConfig(
        DEFAULT_MAX_CHECKPOINTS,
        DEFAULT_RETENTION_MS,
        DEFAULT_MIN_INTERVAL_MS,
        DEFAULT_MAX_FILE_SIZE_BYTES,
        AutoCheckpointConfig.defaults());
  }
}
