package io.cortex.retention;

import io.cortex.checkpoint.Checkpoint;
import java.util.List;

/**
 * What retention decided for the sessions of one repository.
 *
 * @param deletions the checkpoints to delete, with their reason, in the order decided
 * @param kept the checkpoints that stay, oldest first per session
 * @param bytesBefore the summed sizes of all checkpoints before (0 when no size limit applies)
 * @param bytesAfter the summed sizes of the kept ones; above the limit only when the rest is protected
 */
public record RetentionPlan(List<RetentionDeletion> deletions, List<Checkpoint> kept, long bytesBefore,
                            long bytesAfter) {

  public RetentionPlan {
    deletions = List.copyOf(deletions);
    kept = List.copyOf(kept);
  }

  public List<RetentionDeletion> deletions(RetentionReason reason) {
    return deletions.stream().filter(d -> d.reason() == reason).toList();
  }

  public List<RetentionDeletion> deletionsOf(String sessionId) {
    return deletions.stream().filter(d -> d.checkpoint().sessionId().equals(sessionId)).toList();
  }

  /** The ids of the deleted checkpoints of one session, oldest first as decided. */
  public List<String> deletedIds(String sessionId) {
    return deletionsOf(sessionId).stream().map(d -> d.checkpoint().checkpointId()).toList();
  }
}
