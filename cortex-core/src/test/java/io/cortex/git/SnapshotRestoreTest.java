package io.cortex.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.testing.TempRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRestoreTest {

  private static final long NO_CAP = Long.MAX_VALUE;

  @TempDir
  Path temp;

  @Test
  void restoreMakesWorkingTreeAndIndexEqualTheSnapshotAndResetsTheBranch() throws Exception {
    // given: a snapshot with tracked, untracked, binary, symlink and executable files
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("a.txt", "a\n").write("dir/b.txt", "b\n")
        .commitAll("one");
    String base = repo.git("rev-parse", "HEAD").trim();
    repo.write("a.txt", "a modified\n").write("untracked/u.txt", "u\n").write("bin.dat", new byte[] {0, 1, 2});
    Files.createSymbolicLink(repo.dir().resolve("link"), Path.of("a.txt"));
    Path exe = repo.dir().resolve("run.sh");
    Files.writeString(exe, "#!/bin/sh\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    String snapshot;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      snapshot = git.commitSnapshot(git.captureWorkingTree(NO_CAP), "s\n", Instant.now());
    }
    String snapshotTree = repo.git("rev-parse", snapshot + "^{tree}").trim();
    String indexTree = repo.git("write-tree").trim();
    String statusThen = repo.git("status", "--porcelain");

    // and then a lot changes: new commit, edits, deletions, new untracked files, an ignored file
    repo.write("c.txt", "c\n").commitAll("two");
    repo.delete("dir/b.txt").delete("link").write("a.txt", "changed again\n").write("later/new.txt", "new\n")
        .write("debug.log", "keep me\n");
    Files.delete(exe);

    // when
    RestoreResult result;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      result = git.restoreSnapshot(snapshot, base, NO_CAP);
    }

    // then
    assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(base);
    assertThat(repo.git("symbolic-ref", "HEAD").trim()).isEqualTo("refs/heads/main");
    assertThat(repo.nativeSnapshotTree()).isEqualTo(snapshotTree);
    assertThat(repo.git("write-tree").trim()).as("index as it was when the snapshot was taken").isEqualTo(indexTree);
    assertThat(repo.git("status", "--porcelain")).as("staged and unstaged as then: untracked stay untracked")
        .isEqualTo(statusThen);
    assertThat(repo.read("debug.log")).isEqualTo("keep me\n");
    assertThat(repo.dir().resolve("later")).doesNotExist();
    assertThat(Files.isSymbolicLink(repo.dir().resolve("link"))).isTrue();
    assertThat(Files.isExecutable(exe)).isTrue();
    assertThat(result.deleted()).contains("later/new.txt", "c.txt");
    assertThat(repo.dir().resolve(".git/index.lock")).doesNotExist();
    assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
  }

  @Test
  void nestedRepositoriesAndOversizedFilesAreLeftAlone() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("one");
    String base = repo.git("rev-parse", "HEAD").trim();
    String snapshot;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      snapshot = git.commitSnapshot(git.captureWorkingTree(1024), "s\n", Instant.now());
    }
    Path nested = Files.createDirectories(repo.dir().resolve("vendor/lib"));
    repo.git("init", "-q", nested.toString());
    Files.writeString(nested.resolve("inner.txt"), "inner\n");
    repo.write("big.bin", new byte[4096]);

    // when
    RestoreResult result;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      result = git.restoreSnapshot(snapshot, base, 1024);
    }

    // then
    assertThat(nested.resolve("inner.txt")).hasContent("inner");
    assertThat(repo.dir().resolve("big.bin")).exists();
    assertThat(result.leftAlone()).containsExactlyInAnyOrder("vendor/lib", "big.bin");
  }

  @Test
  void statusNamesUncommittedFilesAndOperationsInProgress() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("f.txt", "base\n").write(".gitignore", "*.log\n").commitAll("base");
    repo.write("f.txt", "dirty\n").write("new.txt", "n\n").write("x.log", "ignored\n");

    // when
    RepositoryStatus status;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      status = git.status();
    }

    // then
    assertThat(status.uncommittedFiles()).containsExactly("f.txt", "new.txt");
    assertThat(status.operationInProgress()).isFalse();
    assertThat(status.branch()).isEqualTo("main");
  }

  @Test
  void restorePathsTouchesOnlyThosePathsAndKeepsHeadAndTheRest() throws Exception {
    // given: a snapshot with a.txt=v1, b.txt=v1, c.txt present; then everything changes
    TempRepo repo = TempRepo.init(temp).write("a.txt", "v1\n").write("b.txt", "v1\n").write("c.txt", "c\n")
        .commitAll("one");
    String snapshot;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      snapshot = git.commitSnapshot(git.captureWorkingTree(NO_CAP), "s\n", Instant.now());
    }
    repo.write("a.txt", "v2\n").write("b.txt", "v2\n").write("d.txt", "d\n").commitAll("two");
    String head = repo.git("rev-parse", "HEAD").trim();

    // when: only a.txt and d.txt come from the snapshot
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      git.restorePaths(snapshot, java.util.List.of("a.txt", "d.txt"), NO_CAP);
    }

    // then
    assertThat(repo.read("a.txt")).isEqualTo("v1\n");
    assertThat(repo.read("b.txt")).isEqualTo("v2\n");
    assertThat(repo.dir().resolve("d.txt")).doesNotExist();
    assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(head);
    assertThat(repo.git("status", "--porcelain")).isEqualTo("M  a.txt\nD  d.txt\n");
  }
}
