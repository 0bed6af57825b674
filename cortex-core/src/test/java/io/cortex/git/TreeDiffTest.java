package io.cortex.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.git.DiffResult.ChangeKind;
import io.cortex.git.DiffResult.FileChange;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDiffTest {

  @TempDir
  Path temp;

  @Test
  void commitToCommitDiffMatchesNativeNameStatusNumstatAndHunks() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp)
        .write("a.txt", lines("alpha", 1, 30))
        .write("b.txt", "to be deleted\nsecond line\n")
        .write("run.sh", "#!/bin/sh\necho hi\n")
        .write("img.bin", new byte[] {1, 0, 2, 0, 3})
        .write("stay.txt", "unchanged\n")
        .commitAll("first");
    String from = repo.git("rev-parse", "HEAD").trim();
    repo.write("a.txt", lines("alpha", 1, 30).replace("alpha 3\n", "changed 3\nextra\n").replace("alpha 25\n", ""))
        .delete("b.txt")
        .write("dir/c.txt", "new file\nwith two lines\n")
        .write("empty.txt", "")
        .write("img.bin", new byte[] {9, 0, 8, 0, 7, 6})
        .write("noeol.txt", "no newline at end");
    Files.setPosixFilePermissions(repo.dir().resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    repo.commitAll("second");
    String to = repo.git("rev-parse", "HEAD").trim();

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.between(git, from, to);
    }

    // then
    assertThat(nameStatus(diff)).isEqualTo(repo.git("diff", "--no-renames", "--name-status", from, to));
    assertThat(numstat(diff)).isEqualTo(repo.git("diff", "--no-renames", "--numstat", from, to));
    assertThat(hunkLines(diff.patch())).isEqualTo(hunkLines(repo.git("diff", "--no-renames", from, to)));
    assertThat(diff.patch()).contains("Binary files differ").contains("new mode 100755");
    assertThat(diff.stat()).containsPattern("\\n img\\.bin +\\| Bin\\n").endsWith(" 7 files changed, 5 insertions(+), 4 deletions(-)\n");
    assertThat(diff.untrackedToRemove()).isEmpty();
    assertThat(diff.changes()).extracting(FileChange::path).doesNotContain("stay.txt");
  }

  @Test
  void changeOfTypeIsOneModifiedPathWhosePatchDeletesAndAddsLikeGit() throws Exception {
    // given: a regular file that becomes a symlink
    TempRepo repo = TempRepo.init(temp).write("link", "a\nb\n").commitAll("file");
    String from = repo.git("rev-parse", "HEAD").trim();
    repo.delete("link");
    Files.createSymbolicLink(repo.dir().resolve("link"), Path.of("target"));
    repo.commitAll("symlink");
    String to = repo.git("rev-parse", "HEAD").trim();

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.between(git, from, to);
    }

    // then: git reports it as T (typechange), Cortex as MODIFIED
    assertThat(repo.git("diff", "--no-renames", "--name-status", from, to)).isEqualTo("T\tlink\n");
    assertThat(diff.changes()).containsExactly(new FileChange("link", ChangeKind.MODIFIED, 1, 2, false));
    assertThat(numstat(diff)).isEqualTo(repo.git("diff", "--no-renames", "--numstat", from, to));
    assertThat(hunkLines(diff.patch())).isEqualTo(hunkLines(repo.git("diff", "--no-renames", from, to)));
    assertThat(diff.stat()).isEqualTo(repo.git("diff", "--no-renames", "--stat=80", from, to));
  }

  @Test
  void statHasTheLayoutOfNativeDiffStat() throws Exception {
    // given: a small change, a large one that needs scaling and a path too long for 80 columns
    String longPath = "some/rather/deeply/nested/directory/structure/with/a/very/long/file-name-indeed.txt";
    TempRepo repo = TempRepo.init(temp)
        .write("small.txt", "one\ntwo\nthree\n")
        .write("gone.txt", "x\ny\n")
        .commitAll("first");
    String from = repo.git("rev-parse", "HEAD").trim();
    repo.write("small.txt", "one\n2\nthree\nfour\n")
        .write("big.txt", lines("line", 1, 150))
        .write(longPath, "a\nb\nc\n")
        .delete("gone.txt")
        .commitAll("second");
    String to = repo.git("rev-parse", "HEAD").trim();

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.between(git, from, to);
    }

    // then
    assertThat(diff.stat()).isEqualTo(repo.git("diff", "--no-renames", "--stat=80", from, to));
    assertThat(diff.insertions()).isEqualTo(155);
    assertThat(diff.deletions()).isEqualTo(3);
  }

  @Test
  void identicalCommitsGiveAnEmptyDiff() {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("first");
    String head = repo.git("rev-parse", "HEAD").trim();

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.between(git, head, "HEAD");
    }

    // then
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.patch()).isEmpty();
    assertThat(diff.stat()).isEqualTo(" 0 files changed\n");
  }

  @Test
  void unknownCommitFailsNamingTheCommitAndTheWorkTree() {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").commitAll("first");
    String missing = "0123456789abcdef0123456789abcdef01234567";

    // when / then
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      assertThatThrownBy(() -> TreeDiff.between(git, "HEAD", missing))
          .isInstanceOf(GitException.class)
          .hasMessageContaining(missing)
          .hasMessageContaining(git.workTree().toString());
      assertThatThrownBy(() -> TreeDiff.between(git, "no-such-branch", "HEAD"))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("no-such-branch")
          .hasMessageContaining(git.workTree().toString());
      assertThatThrownBy(() -> TreeDiff.workingTreeAgainst(git, "no-such-branch"))
          .isInstanceOf(GitException.class)
          .hasMessageContaining("no-such-branch")
          .hasMessageContaining(git.workTree().toString());
    }
  }

  @Test
  void workingTreeDiffListsWhatBecomingTheCommitWouldChangeAndWritesNothing() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp)
        .write(".gitignore", "*.log\nbuild/\n")
        .write("keep.txt", "keep\n")
        .write("mod.txt", "original\n")
        .write("gone.txt", "restore me\n")
        .commitAll("checkpoint");
    String commit = repo.git("rev-parse", "HEAD").trim();
    repo.write("mod.txt", "edited on disk\n")
        .delete("gone.txt")
        .write("tracked.txt", "staged but never committed\n")
        .write("scratch.txt", "untracked\n")
        .write("debug.log", "ignored\n")
        .write("build/out.txt", "ignored directory\n");
    repo.git("add", "tracked.txt");
    Path nested = repo.dir().resolve("vendor/lib");
    Files.createDirectories(nested);
    repo.git("init", "-q", nested.toString());
    Files.writeString(nested.resolve("inner.txt"), "inner\n");
    String before = repositoryState(repo);

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.workingTreeAgainst(git, commit);
    }

    // then
    assertThat(diff.changes()).extracting(FileChange::path, FileChange::kind).containsExactly(
        org.assertj.core.groups.Tuple.tuple("gone.txt", ChangeKind.ADDED),
        org.assertj.core.groups.Tuple.tuple("mod.txt", ChangeKind.MODIFIED),
        org.assertj.core.groups.Tuple.tuple("scratch.txt", ChangeKind.DELETED),
        org.assertj.core.groups.Tuple.tuple("tracked.txt", ChangeKind.DELETED));
    assertThat(diff.untrackedToRemove()).containsExactly("scratch.txt");
    assertThat(diff.changes()).extracting(FileChange::path)
        .noneMatch(p -> p.endsWith(".log") || p.startsWith("build/") || p.startsWith("vendor"));
    assertThat(diff.patch())
        .contains("-edited on disk\n+original\n")
        .contains("+restore me\n")
        .contains("-untracked\n")
        .doesNotContain("inner");
    assertThat(repositoryState(repo)).isEqualTo(before);
    assertThat(repo.dir().resolve(".git/index.lock")).doesNotExist();
  }

  @Test
  void workingTreeDiffMatchesNativeDiffOfTheWorkingTreeSnapshot() throws Exception {
    // given: tracked changes, a mode change, binary, untracked, deleted, and a tracked file in an ignored folder
    TempRepo repo = TempRepo.init(temp)
        .write(".gitignore", "build/\n")
        .write("a.txt", lines("alpha", 1, 20))
        .write("run.sh", "#!/bin/sh\n")
        .write("img.bin", new byte[] {0, 1, 2})
        .write("deleted.txt", "one\ntwo\n")
        .write("build/keep.txt", "forced\n");
    repo.git("add", "-f", "build/keep.txt");
    repo.commitAll("checkpoint");
    String commit = repo.git("rev-parse", "HEAD").trim();
    repo.write("a.txt", lines("alpha", 1, 20).replace("alpha 2\n", "beta 2\n").replace("alpha 17\n", "alpha 17\nmore\n"))
        .write("img.bin", new byte[] {0, 9, 9, 9})
        .delete("deleted.txt")
        .write("new/untracked.txt", "x\ny\nz\n")
        .write("build/keep.txt", "forced and edited\n")
        .write("build/junk.txt", "ignored\n");
    Files.setPosixFilePermissions(repo.dir().resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.workingTreeAgainst(git, commit);
    }

    // then: native git's tree of the working tree (git add -A into a temporary index) against the commit
    String snapshot = repo.nativeSnapshotTree();
    assertThat(nameStatus(diff)).isEqualTo(repo.git("diff", "--no-renames", "--name-status", snapshot, commit));
    assertThat(numstat(diff)).isEqualTo(repo.git("diff", "--no-renames", "--numstat", snapshot, commit));
    assertThat(hunkLines(diff.patch())).isEqualTo(hunkLines(repo.git("diff", "--no-renames", snapshot, commit)));
    assertThat(diff.untrackedToRemove()).containsExactly("new/untracked.txt");
    assertThat(diff.changes()).extracting(FileChange::path).contains("build/keep.txt").doesNotContain("build/junk.txt");
  }

  @Test
  void cleanWorkingTreeGivesAnEmptyDiffAgainstHead() {
    // given
    TempRepo repo = TempRepo.init(temp).write("a.txt", "a\n").write("d/b.txt", "b\n").commitAll("first");

    // when
    DiffResult diff;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      diff = TreeDiff.workingTreeAgainst(git, "HEAD");
    }

    // then
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.patch()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private static String lines(String word, int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> word + " " + i + "\n").collect(Collectors.joining());
  }

  private static String nameStatus(DiffResult diff) {
    return diff.changes().stream()
        .map(c -> c.kind().name().charAt(0) + "\t" + c.path() + "\n")
        .collect(Collectors.joining());
  }

  private static String numstat(DiffResult diff) {
    return diff.changes().stream()
        .map(c -> (c.binary() ? "-\t-" : c.linesAdded() + "\t" + c.linesDeleted()) + "\t" + c.path() + "\n")
        .collect(Collectors.joining());
  }

  /** The lines that carry the hunks: {@code ---}/{@code +++}, {@code @@} ranges (without git's function context), +/- lines. */
  private static List<String> hunkLines(String patch) {
    return patch.lines()
        .filter(l -> l.startsWith("+") || l.startsWith("-") || l.startsWith("@@"))
        .map(l -> l.startsWith("@@") ? l.substring(0, l.indexOf("@@", 2) + 2) : l)
        .toList();
  }

  /** Status, every byte under .git, and the object count: what a read-only diff must leave alone. */
  private static String repositoryState(TempRepo repo) throws IOException {
    Path dotGit = repo.dir().resolve(".git");
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dotGit)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        files.put(dotGit.relativize(file).toString(), sha256(Files.readAllBytes(file)));
      }
    }
    long objects = files.keySet().stream().filter(p -> p.startsWith("objects/")).count();
    return "status:\n" + repo.git("--no-optional-locks", "status", "--porcelain=v1", "-uall", "--ignored")
        + "objects: " + objects + "\nindex: " + sha256(repo.bytes(".git/index")) + "\nfiles: " + files;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
