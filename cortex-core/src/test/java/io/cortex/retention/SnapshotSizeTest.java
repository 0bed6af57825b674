package io.cortex.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.git.CapturedTree;
import io.cortex.git.GitException;
import io.cortex.git.GitWorkspace;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GitWorkspace#snapshotSizeBytes}: what a snapshot holds beyond its base commit. */
class SnapshotSizeTest {

  @TempDir
  Path temp;

  @Test
  void countsNewAndChangedFilesButNotWhatTheBaseCommitHas() {
    // given: committed files in two folders; then one folder untouched, a change, a new file, a deletion
    TempRepo repo = TempRepo.init(temp).write("stable/a.txt", "x".repeat(1_000)).write("work/b.txt", "y".repeat(300))
        .write("work/gone.txt", "z".repeat(70)).commitAll("init");
    repo.write("work/b.txt", "y".repeat(320)).write("new/c.txt", "c".repeat(45)).delete("work/gone.txt");

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when
      String snapshot = snapshot(git);
      long size = git.snapshotSizeBytes(snapshot, git.head().orElseThrow());

      // then
      assertThat(size).isEqualTo(320 + 45);
    }
  }

  @Test
  void withoutABaseEveryBlobCountsAndEqualContentCountsOnce() {
    // given: a repository without commits, two files with the same content
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a".repeat(100)).write("dir/copy.txt", "a".repeat(100))
        .write("dir/b.txt", "b".repeat(7));

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when
      String snapshot = snapshot(git);

      // then
      assertThat(git.snapshotSizeBytes(snapshot, null)).isEqualTo(107);
    }
  }

  @Test
  void aSnapshotEqualToItsBaseHoldsNothing() {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when
      String snapshot = snapshot(git);

      // then
      assertThat(git.snapshotSizeBytes(snapshot, git.head().orElseThrow())).isZero();
    }
  }

  @Test
  void unknownCommitIsAGitError() {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("init");

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when / then
      assertThatThrownBy(() -> git.snapshotSizeBytes("0123456789012345678901234567890123456789", null))
          .isInstanceOf(GitException.class).hasMessageContaining("Could not size snapshot");
    }
  }

  private static String snapshot(GitWorkspace git) {
    CapturedTree tree = git.captureWorkingTree(Long.MAX_VALUE);
    return git.commitSnapshot(tree, "snapshot", Instant.now());
  }
}
