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
 */
public record CapturedTree(String treeId, String baseCommit, String branch, int fileCount,
                           int hashedCount, List<SkippedPath> skipped) {

  public CapturedTree {
    skipped = List.copyOf(skipped);
  }
}
