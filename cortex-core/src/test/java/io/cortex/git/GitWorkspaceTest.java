package io.cortex.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.testing.TempRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkspaceTest {

  private static final long NO_CAP = Long.MAX_VALUE;

  @TempDir
  Path temp;

  @Test
  void capturedTreeEqualsNativeGitAddAllOnAMixedWorkingTree() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").write("dir/b.txt", "b\n").write(".gitignore", "*.tmp\n")
        .commitAll("init");
    repo.write("a.txt", "changed\n").write("new/c.txt", "c\n").write("x.tmp", "ignored\n").delete("dir/b.txt");
    Path script = repo.dir().resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    String before = repo.userVisibleState();

    // when
    CapturedTree tree;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      tree = git.captureWorkingTree(NO_CAP);
    }

    // then
    assertThat(tree.treeId()).isEqualTo(repo.nativeSnapshotTree());
    assertThat(repo.git("ls-tree", tree.treeId(), "run.sh")).startsWith("100755");
    assertThat(tree.baseCommit()).isEqualTo(repo.git("rev-parse", "HEAD").trim());
    assertThat(tree.branch()).isEqualTo("main");
    assertThat(repo.userVisibleState()).isEqualTo(before);
    assertThat(repo.dir().resolve(".git/index.lock")).doesNotExist();
  }

  @Test
  void anUnchangedTreeIsTheIndexsOwnTreeAndEveryKindOfChangeStillShows() throws Exception {
    // given: a clean repository whose index carries git's cache tree
    TempRepo repo = TempRepo.init(temp);
    for (int i = 0; i < 30; i++) {
      repo.write("d" + (i % 3) + "/f" + i + ".txt", "content " + i + "\n");
    }
    repo.commitAll("init");
    Thread.sleep(1100);
    repo.git("update-index", "--refresh");

    // when / then: nothing changed - the tree git writes for the index
    assertThat(capture(repo)).isEqualTo(repo.git("write-tree").trim()).isEqualTo(repo.nativeSnapshotTree());

    // a change staged with git add (the index's cache tree is invalidated for it), disk equal to the index
    repo.write("d1/f4.txt", "staged\n");
    repo.git("add", "d1/f4.txt");
    assertThat(capture(repo)).isEqualTo(repo.nativeSnapshotTree());

    // an untracked file, an unstaged edit, a deletion
    repo.write("d2/new.txt", "new\n");
    assertThat(capture(repo)).isEqualTo(repo.nativeSnapshotTree());
    repo.write("d0/f3.txt", "edited\n").delete("d0/f6.txt");
    assertThat(capture(repo)).isEqualTo(repo.nativeSnapshotTree());
  }

  private static String capture(TempRepo repo) {
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      return git.captureWorkingTree(NO_CAP).treeId();
    }
  }

  @Test
  void unchangedFilesAreTakenFromTheIndexWithoutRehashing() throws Exception {
    // given: files committed long enough ago that their index entries are not racily clean
    TempRepo repo = TempRepo.init(temp);
    for (int i = 0; i < 50; i++) {
      repo.write("f" + i + ".txt", "content " + i + "\n");
    }
    repo.commitAll("init");
    Thread.sleep(1100);
    repo.git("update-index", "--refresh");
    repo.write("f7.txt", "changed\n");

    // when
    CapturedTree tree;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      tree = git.captureWorkingTree(NO_CAP);
    }

    // then
    assertThat(tree.fileCount()).isEqualTo(50);
    assertThat(tree.hashedCount()).isEqualTo(1);
    assertThat(tree.treeId()).isEqualTo(repo.nativeSnapshotTree());
  }

  @Test
  void nestedRepositoryAndOversizedFilesAreSkippedAndReported() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("small.txt", "ok\n").commitAll("init");
    repo.write("big.bin", new byte[2048]);
    Path nested = repo.dir().resolve("vendor/lib");
    Files.createDirectories(nested);
    repo.git("init", "-q", nested.toString());
    Files.writeString(nested.resolve("inner.txt"), "inner\n");

    // when
    CapturedTree tree;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      tree = git.captureWorkingTree(1024);
    }

    // then
    assertThat(tree.skipped()).containsExactlyInAnyOrder(
        new SkippedPath("big.bin", SkippedPath.Reason.TOO_LARGE, 2048),
        new SkippedPath("vendor/lib", SkippedPath.Reason.NESTED_REPOSITORY, 0));
    assertThat(repo.git("ls-tree", "-r", "--name-only", tree.treeId())).isEqualTo("small.txt\n");
  }

  @Test
  void emptyRepositoryWithoutCommitsGivesASnapshotWhoseOnlyParentIsItsState() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("first.txt", "hello\n");

    // when
    String commit;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      CapturedTree tree = git.captureWorkingTree(NO_CAP);
      assertThat(tree.baseCommit()).isNull();
      commit = git.commitSnapshot(tree, "snapshot\n", Instant.parse("2026-01-01T00:00:00Z"));
    }

    // then
    // no base commit: the one parent is the state commit (snapshot format 2), a root commit itself
    String parents = repo.git("rev-list", "--parents", "-n", "1", commit).trim();
    assertThat(parents.split(" ")).hasSize(2);
    String state = parents.split(" ")[1];
    assertThat(repo.git("log", "-1", "--format=%s%n%P", state).trim()).isEqualTo("cortex snapshot state");
    assertThat(repo.git("show", commit + ":first.txt")).isEqualTo("hello\n");
    assertThat(repo.dir().resolve(".git/index")).doesNotExist();
  }

  @Test
  void conflictedMergeIsCapturedAsOnDiskWithoutTouchingTheConflictState() throws Exception {
    // given: a real merge conflict, index holds stages 1-3
    TempRepo repo = TempRepo.init(temp).write("f.txt", "base\n").commitAll("base");
    repo.git("checkout", "-q", "-b", "other");
    repo.write("f.txt", "other\n").commitAll("other");
    repo.git("checkout", "-q", "main");
    repo.write("f.txt", "main\n").commitAll("main");
    try {
      repo.git("merge", "-q", "other");
    } catch (AssertionError expectedConflict) {
      // conflict markers are now on disk
    }
    String before = repo.userVisibleState();

    // when
    CapturedTree tree;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      tree = git.captureWorkingTree(NO_CAP);
    }

    // then
    assertThat(repo.git("show", tree.treeId() + ":f.txt")).contains("<<<<<<<").contains("other");
    assertThat(repo.userVisibleState()).isEqualTo(before);
    assertThat(repo.dir().resolve(".git/MERGE_HEAD")).exists();
  }

  @Test
  void refsAreCreateOnlyUnlessOverwriteIsAsked() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("a", "1").commitAll("one");
    String first = repo.git("rev-parse", "HEAD").trim();
    repo.write("a", "2").commitAll("two");
    String second = repo.git("rev-parse", "HEAD").trim();
    String ref = CheckpointRefs.refName("s-1", "c-1");

    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      // when
      git.writeRef(ref, first, false);

      // then
      assertThatThrownBy(() -> git.writeRef(ref, second, false)).isInstanceOf(GitException.class)
          .hasMessageContaining(ref);
      git.writeRef(ref, second, true);
      assertThat(git.resolveRef(ref)).contains(second);
      assertThat(git.checkpointRefs("s-1")).containsExactly(new CheckpointRef("s-1", "c-1", second));
      git.deleteRef(ref);
      assertThat(git.resolveRef(ref)).isEmpty();
    }
  }

  @Test
  void openRejectsFoldersThatAreNotWorkTrees() throws Exception {
    Path plain = Files.createDirectory(temp.resolve("plain"));
    assertThatThrownBy(() -> GitWorkspace.open(plain)).isInstanceOf(NotAGitRepositoryException.class)
        .hasMessageContaining("Not a git repository").hasMessageContaining("git init");
    assertThatThrownBy(() -> GitWorkspace.open(temp.resolve("missing"))).isInstanceOf(NotAGitRepositoryException.class)
        .hasMessageContaining("no such directory");
  }
}
