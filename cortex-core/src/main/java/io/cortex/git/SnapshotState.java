package io.cortex.git;

import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a snapshot of format 2 records beside its main tree (the working tree in git's clean form), so that a
 * restore puts the state back exactly; see {@link SnapshotStateCodec} for how it is stored.
 *
 * @param index every entry of the index as it was: mode, object, stage and flags (staged content, partial
 *     staging, skip-worktree, assume-unchanged, intent-to-add, conflict stages)
 * @param raw the bytes on disk of the files whose clean form does not give them back through the smudge and
 *     end-of-line conversion git would apply (a lossy or unknown filter, line endings git would change)
 * @param permissions permission bits of the files whose bits are not git's 644 or 755 (600, 400, 664 …)
 * @param sparseCheckout the content of {@code info/sparse-checkout}, or null when there was none
 * @param head HEAD as it was: {@code ref: refs/heads/<branch>} (born or unborn) or a commit id (detached)
 */
record SnapshotState(List<IndexRecord> index, Map<String, ObjectId> raw, Map<String, Integer> permissions,
                     String sparseCheckout, String head) {

  /** The one format this code writes; format 1 (no state) is every checkpoint written before it. */
  static final int FORMAT = 2;

  SnapshotState {
    index = List.copyOf(index);
    raw = Map.copyOf(raw);
    permissions = Map.copyOf(permissions);
  }

  /** One index entry. {@code mode} is git's raw mode (100644, 100755, 120000, 160000). */
  record IndexRecord(String path, int mode, ObjectId id, int stage, boolean assumeValid, boolean skipWorktree,
                     boolean intentToAdd) {
  }

  /** The branch HEAD names ({@code refs/heads/…}), or null when HEAD was detached. */
  String headBranch() {
    return head != null && head.startsWith("ref: ") ? head.substring(5).trim() : null;
  }
}
