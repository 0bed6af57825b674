package io.cortex.retention;

import io.cortex.checkpoint.Checkpoint;

/**
 * One checkpoint retention deletes (planned, or done when in a {@link RetentionReport}).
 *
 * @param sizeBytes what its snapshot holds beyond its base commit; 0 when sizes were not computed
 */
public record RetentionDeletion(Checkpoint checkpoint, RetentionReason reason, long sizeBytes) {
}
