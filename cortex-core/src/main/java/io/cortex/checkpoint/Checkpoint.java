package io.cortex.checkpoint;

import io.cortex.git.SkippedPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One checkpoint of a session: which snapshot commit holds the working tree, what HEAD was
 * then, and the metrics and metadata the phase reported.
 *
 * @param sequence position in the session, 1 for the first checkpoint
 * @param phase the phase name, or {@code null} for checkpoints not tied to a phase
 * @param baseCommit HEAD when the snapshot was taken, {@code null} in a repository without commits
 * @param snapshotCommit the commit whose tree is the whole working tree
 * @param branch the checked-out branch then, {@code null} on a detached HEAD
 * @param integrityHash SHA-256 over the canonical content, see {@link IntegrityHash}
 */
public record Checkpoint(String sessionId, String checkpointId, long sequence, CheckpointType type,
                         String phase, String processInstanceId, String activityInstanceId,
                         String baseCommit, String snapshotCommit, String branch, Instant createdAt,
                         Map<String, Object> metrics, List<SkippedPath> skipped, String integrityHash) {

  public Checkpoint {
    metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  /** This checkpoint at another position in its session (the integrity hash is left as it was: recompute it). */
  public Checkpoint withSequence(long newSequence) {
    return new Checkpoint(sessionId, checkpointId, newSequence, type, phase, processInstanceId, activityInstanceId,
        baseCommit, snapshotCommit, branch, createdAt, metrics, skipped, integrityHash);
  }

  /** The first 7 characters of the snapshot commit, as git shows it. */
  public String shortSnapshot() {
    return snapshotCommit.substring(0, Math.min(7, snapshotCommit.length()));
  }
}
