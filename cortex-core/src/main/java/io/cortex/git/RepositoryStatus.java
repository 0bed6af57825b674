package io.cortex.git;

import java.util.List;

/**
 * What a rollback's safety check needs to know about a repository.
 *
 * @param operation the operation in progress (merge, rebase, cherry-pick, revert, bisect, apply),
 *     or {@code null} when none is
 * @param uncommittedFiles paths that differ from HEAD: staged, modified, deleted, conflicting or
 *     untracked (ignored files are not listed)
 * @param head HEAD's commit, {@code null} without commits
 * @param branch the checked-out branch, {@code null} on a detached HEAD
 */
public record RepositoryStatus(String operation, List<String> uncommittedFiles, String head, String branch) {

  public RepositoryStatus {
    uncommittedFiles = List.copyOf(uncommittedFiles);
  }

  public boolean operationInProgress() {
    return operation != null;
  }
}
