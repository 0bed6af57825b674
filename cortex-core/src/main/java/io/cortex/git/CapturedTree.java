package io.cortex.git;

import java.util.List;

/**
 * The result of capturing a working tree into a git tree object.
 *
 * @param treeId the tree written to the object database
 * @param baseCommit HEAD at capture time, or {@code null} in a repository without commits
 * @param branch the checked-out branch (short name), or {@code null} on a detached HEAD
 * @param fileCount number of files in the tree
 * @param hashedCount files whose content had to be read (new or changed since the index)
 * @param skipped paths deliberately left out
 * @param stateTree the tree of the state beside the working tree (index, flags, permissions, raw bytes, sparse
 *     patterns, HEAD; see {@link SnapshotStateCodec}), or null when only the tree was captured
 */
public record CapturedTree(String treeId, String baseCommit, String branch, int fileCount,
                           int hashedCount, List<SkippedPath> skipped, String stateTree) {

  public CapturedTree {
    skipped = List.copyOf(skipped);
  }

  /** The snapshot format a commit of this capture has: 2 with its state, 1 (the tree alone) without. */
  public int format() {
    return stateTree == null ? 1 : SnapshotState.FORMAT;
  }
}
