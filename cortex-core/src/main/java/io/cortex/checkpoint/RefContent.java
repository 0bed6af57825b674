package io.cortex.checkpoint;

import io.cortex.git.CheckpointRef;
import io.cortex.git.GitWorkspace;

/**
 * What one checkpoint ref holds: the checkpoint its snapshot commit's metadata describes, or why none can be read
 * from it (a commit that is no Cortex snapshot, metadata that does not parse, or the snapshot of another checkpoint:
 * the ref was moved).
 *
 * @param checkpoint the checkpoint the ref holds, {@code null} when {@code problem} says why there is none
 */
record RefContent(CheckpointRef ref, Checkpoint checkpoint, String problem) {

  static RefContent read(GitWorkspace git, CheckpointRef ref) {
    Checkpoint c;
    try {
      c = SnapshotMessage.parse(git.commitMessage(ref.commitId()), ref.commitId());
    } catch (RuntimeException e) {
      // Anything a ref can point at is expected here: a tree or blob, a plain commit, metadata written by hand or by
      // another format, JSON with fields of the wrong kind. None of it may stop the caller; each is reported.
      return new RefContent(ref, null, "its commit " + shortId(ref.commitId()) + " has no readable checkpoint metadata ("
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")");
    }
    if (!c.sessionId().equals(ref.sessionId()) || !c.checkpointId().equals(ref.checkpointId())) {
      return new RefContent(ref, null, "it was moved to commit " + shortId(ref.commitId()) + ", the snapshot of "
          + c.sessionId() + "/" + c.checkpointId());
    }
    return new RefContent(ref, c, null);
  }

  boolean readable() {
    return checkpoint != null;
  }

  static String shortId(String commit) {
    return commit == null ? "none" : commit.substring(0, Math.min(7, commit.length()));
  }
}
