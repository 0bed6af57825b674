package io.cortex.bench;

import io.cortex.config.CheckpointConfig;
import io.cortex.git.CapturedTree;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import io.cortex.git.RestoreResult;
import java.nio.file.Path;
import java.time.Instant;

/** The Cortex side at the git level, exactly as {@code Checkpointer.take} and a rollback call it. */
final class CortexGit {

  static final long MAX_FILE_SIZE = CheckpointConfig.DEFAULT_MAX_FILE_SIZE_BYTES;

  /** Time split of one checkpoint: open, capture, commit, ref+close (ms). */
  static final class Breakdown {
    final java.util.List<double[]> samples = new java.util.ArrayList<>();

    String summary() {
      if (samples.isEmpty()) {
        return "";
      }
      String[] names = {"open", "capture", "commit", "ref+close"};
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < names.length; k++) {
        final int col = k;
        double[] v = samples.stream().mapToDouble(s -> s[col]).toArray();
        sb.append(names[k]).append('=').append(Report.fmt(Stats.of(v).median())).append(' ');
      }
      return "median split ms: " + sb.toString().strip();
    }
  }

  private CortexGit() {
  }

  static String message(String session, String id) {
    // About the size of SnapshotMessage's subject + metadata JSON.
    return "cortex checkpoint " + session + "/" + id + " (USER_REQUESTED)\n\n{\"sessionId\":\"" + session
        + "\",\"checkpointId\":\"" + id + "\",\"sequence\":1,\"type\":\"USER_REQUESTED\",\"phase\":null,"
        + "\"processInstanceId\":null,\"activityInstanceId\":null,\"baseCommit\":null,\"branch\":\"main\","
        + "\"createdAt\":\"2025-01-01T00:00:00Z\",\"metrics\":{\"tests_passing\":12},\"skipped\":[]}\n";
  }

  /** open + captureWorkingTree + commitSnapshot + writeRef + close; returns the snapshot commit. */
  static String checkpoint(Path repo, String session, String id, Breakdown breakdown) {
    long t0 = System.nanoTime();
    GitWorkspace git = GitWorkspace.open(repo);
    long t1;
    long t2;
    long t3;
    String commit;
    try {
      t1 = System.nanoTime();
      CapturedTree tree = git.captureWorkingTree(MAX_FILE_SIZE);
      t2 = System.nanoTime();
      commit = git.commitSnapshot(tree, message(session, id), Instant.now());
      t3 = System.nanoTime();
      git.writeRef(CheckpointRefs.refName(session, id), commit, true);
    } finally {
      git.close();
    }
    long t4 = System.nanoTime();
    if (breakdown != null) {
      breakdown.samples.add(new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6});
    }
    return commit;
  }

  static CapturedTree capture(Path repo) {
    try (GitWorkspace git = GitWorkspace.open(repo)) {
      return git.captureWorkingTree(MAX_FILE_SIZE);
    }
  }

  static RestoreResult restore(Path repo, String snapshot, String base) {
    try (GitWorkspace git = GitWorkspace.open(repo)) {
      return git.restoreSnapshot(snapshot, base, MAX_FILE_SIZE);
    }
  }
}
