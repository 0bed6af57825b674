package io.cortex.rollback;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.IntegrityHash;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import io.cortex.git.RepositoryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks a rollback passes before it touches anything: the target is intact and readable,
 * no git operation is in progress, nothing uncommitted would be overwritten, and HEAD and the
 * branch are where the checkpoint left them. Messages follow the seed's wording.
 *
 * <p>Uncommitted changes are refused only when they would be lost: not when the working tree equals the target
 * (nothing to do) or any intact checkpoint of the session (it keeps them, e.g. right after a rollback).
 */
final class SafetyCheck {

  private static final int MAX_FILES_NAMED = 20;

  private SafetyCheck() {
  }

  /**
   * @param kept the session's checkpoints: uncommitted changes that one of them (or the target) holds exactly are not
   *     refused, since nothing on disk would be lost — the rollback's PRE_ROLLBACK checkpoint keeps them once more
   * @param maxFileSizeBytes the checkpoints' file size cap, to capture the working tree as they did
   */
  static SafetyReport check(GitWorkspace git, Checkpoint target, boolean undo, List<Checkpoint> kept,
                            long maxFileSizeBytes) {
    List<Refusal> refusals = new ArrayList<>();
    if (!IntegrityHash.matches(target)) {
      refusals.add(new Refusal(Refusal.Kind.INTEGRITY_MISMATCH, "Safety check failed: Checkpoint " + target.checkpointId()
          + " of session " + target.sessionId() + " failed its integrity check - its catalogue row does not match its"
          + " SHA-256 hash\nRestore the row from the repository with './cortex rebuild --session " + target.sessionId() + "'.",
          false));
    }
    String ref = CheckpointRefs.refName(target.sessionId(), target.checkpointId());
    Optional<String> refCommit = git.resolveRef(ref);
    if (!refCommit.equals(Optional.of(target.snapshotCommit()))) {
      // the row and the ref disagree: which of them is right cannot be told here, so neither is used
      refusals.add(new Refusal(Refusal.Kind.REF_MOVED, "Safety check failed: Checkpoint " + target.checkpointId()
          + " of session " + target.sessionId() + " - its ref " + ref + (refCommit.isEmpty() ? " is missing"
          : " points at " + shortId(refCommit.get())) + ", its catalogue row at " + target.shortSnapshot()
          + "\nIf the row is right, put the ref back with 'git update-ref " + ref + " " + target.snapshotCommit()
          + "'; if the ref is, run 'cortex rebuild --session " + target.sessionId() + "'.", false));
    }
    if (!git.isReadableCommit(target.snapshotCommit())
        || (target.baseCommit() != null && !git.isReadableCommit(target.baseCommit()))) {
      refusals.add(new Refusal(Refusal.Kind.SNAPSHOT_UNREADABLE, "Safety check failed: Checkpoint " + target.checkpointId()
          + " cannot be read - snapshot " + target.shortSnapshot() + " or its base commit is missing from " + git.workTree(),
          false));
    }
    RepositoryStatus status = git.status();
    if (status.operationInProgress()) {
      refusals.add(new Refusal(Refusal.Kind.OPERATION_IN_PROGRESS, "Safety check failed: " + status.operation()
          + " in progress - " + (status.operation().equals("Merge") ? "resolve conflicts first"
          : "finish or abort it first"), false));
    }
    if (undo) {
      return SafetyReport.of(refusals); // undo restores a PRE_ROLLBACK state: after a rollback, changes are expected
    }
    if (!status.uncommittedFiles().isEmpty() && keptIn(git, target, kept, maxFileSizeBytes).isEmpty()) {
      List<String> files = status.uncommittedFiles();
      String named = String.join(", ", files.subList(0, Math.min(MAX_FILES_NAMED, files.size())))
          + (files.size() > MAX_FILES_NAMED ? " and " + (files.size() - MAX_FILES_NAMED) + " more" : "");
      refusals.add(new Refusal(Refusal.Kind.UNCOMMITTED_CHANGES, "Safety check failed: Uncommitted changes detected\nFiles: "
          + named + "\nCommit or stash changes before rollback.", true));
    }
    if (!Objects.equals(status.head(), target.baseCommit())) {
      refusals.add(new Refusal(Refusal.Kind.HEAD_MOVED, "Safety check failed: HEAD moved since checkpoint "
          + target.checkpointId() + " (" + shortId(target.baseCommit()) + " then, " + shortId(status.head()) + " now)"
          + " - the rollback resets " + (status.branch() != null ? "branch " + status.branch() : "HEAD") + " to "
          + shortId(target.baseCommit()), true));
    }
    if (target.branch() != null && !target.branch().equals(status.branch())) {
      refusals.add(new Refusal(Refusal.Kind.BRANCH_CHANGED, "Safety check failed: Branch changed since checkpoint "
          + target.checkpointId() + " (" + target.branch() + " then, " + (status.branch() == null ? "detached HEAD"
          : status.branch()) + " now) - the rollback would move the current one", true));
    }
    return SafetyReport.of(refusals);
  }

  /**
   * Adds the undo's own check: the branch the rollback moved must still be checked out and where the rollback
   * left it — otherwise the user switched branch or committed since, and an undo would move something else.
   * Force gets past it; the undo then returns that branch (and checks it out), never moving another one.
   */
  static SafetyReport withUndoCheck(SafetyReport report, GitWorkspace git, String movedBranch, String leftAt) {
    String branchNow = git.currentBranch().orElse(null);
    String headNow = git.head().orElse(null);
    if (Objects.equals(branchNow, movedBranch) && Objects.equals(headNow, leftAt)) {
      return report;
    }
    List<Refusal> refusals = new ArrayList<>(report.refusals());
    String then = movedBranch == null ? "a detached HEAD" : "branch " + movedBranch;
    String now = branchNow == null ? "a detached HEAD" : "branch " + branchNow;
    refusals.add(new Refusal(Refusal.Kind.MOVED_SINCE_ROLLBACK, "Safety check failed: the rollback moved " + then
        + " to " + shortId(leftAt) + ", but HEAD is now on " + now + " at " + shortId(headNow)
        + (Objects.equals(branchNow, movedBranch) ? " (committed since)" : " (switched since)")
        + " - undo would return " + then + " as it was before the rollback" + (movedBranch != null
        && !Objects.equals(branchNow, movedBranch) ? " and check it out; " + now + " stays where it is" : ""), true));
    return SafetyReport.of(refusals);
  }

  /**
   * The checkpoint that holds the working tree exactly as it is: the target first (the rollback would change
   * nothing), then the newest. Right after a rollback the tree equals the checkpoint it restored.
   */
  static Optional<Checkpoint> keptIn(GitWorkspace git, Checkpoint target, List<Checkpoint> kept, long maxFileSizeBytes) {
    List<Checkpoint> candidates = new ArrayList<>();
    candidates.add(target);
    for (int i = kept.size() - 1; i >= 0; i--) {
      if (!kept.get(i).checkpointId().equals(target.checkpointId()) && IntegrityHash.matches(kept.get(i))) {
        candidates.add(kept.get(i));
      }
    }
    return git.snapshotEqualToWorkingTree(candidates.stream().map(Checkpoint::snapshotCommit).toList(), maxFileSizeBytes)
        .flatMap(commit -> candidates.stream().filter(c -> c.snapshotCommit().equals(commit)).findFirst());
  }

  private static String shortId(String commit) {
    return commit == null ? "no commit" : commit.substring(0, Math.min(7, commit.length()));
  }
}
