package io.cortex.retention;

/**
 * How many checkpoints retention keeps, for how long, and how much snapshot data per repository.
 *
 * @param maxCheckpoints checkpoints kept per session; beyond this the oldest are deleted (at least 1)
 * @param retentionMs age in ms after which a checkpoint is deleted, and below which a PRE_ROLLBACK
 *     checkpoint is never deleted (0 or more)
 * @param maxTotalBytes per repository, the bytes the checkpoints of all its sessions may hold beyond
 *     their base commits; the oldest are deleted until they fit; 0 means unlimited
 */
public record RetentionPolicy(int maxCheckpoints, long retentionMs, long maxTotalBytes) {

  public RetentionPolicy {
    if (maxCheckpoints < 1) {
      throw new IllegalArgumentException("retention maxCheckpoints must be at least 1, got " + maxCheckpoints);
    }
    if (retentionMs < 0) {
      throw new IllegalArgumentException("retention retentionMs must be 0 or more, got " + retentionMs);
    }
    if (maxTotalBytes < 0) {
      throw new IllegalArgumentException("retention maxTotalBytes must be 0 (unlimited) or more, got " + maxTotalBytes);
    }
  }

  /** Whether a size limit per repository applies. */
  public boolean limitsSize() {
    return maxTotalBytes > 0;
  }
}
