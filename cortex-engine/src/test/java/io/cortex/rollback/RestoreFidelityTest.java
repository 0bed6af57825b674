package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.Cortex;
import io.cortex.testing.RepoState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git set-ups real teams have, each one a way a rollback and its undo once lost bytes or corrupted state:
 * after a rollback the repository is exactly what the checkpoint saw, after the undo exactly what it was before
 * — every byte and permission of every file (ignored ones included), the index with its flags, HEAD and branches
 * (compared with native git). Issue 15, cases 1 to 11.
 */
class RestoreFidelityTest {

  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static Cortex cortex;

  @TempDir
  Path temp;

  @BeforeAll
  static void startEngine() {
    cortex = TestEngines.cortex();
  }

  @AfterAll
  static void stopEngine() {
    cortex.engine().close();
  }

  private static String startSession(TempRepo repo) {
    String session = "fidelity-" + SESSIONS.incrementAndGet();
    cortex.startSession(Workflow.PLANNING, session, repo.dir());
    return session;
  }

  /** Rollback to session-start gives {@code atStart}; undo gives {@code beforeRollback}. */
  private static void assertRollbackAndUndoExact(TempRepo repo, String session, Map<String, String> atStart) {
    Map<String, String> beforeRollback = RepoState.of(repo);
    cortex.rollback(session, "session-start", true);
    assertThat(RepoState.of(repo)).as("after the rollback").isEqualTo(atStart);
    assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
    cortex.undo(session, false);
    assertThat(RepoState.of(repo)).as("after the undo").isEqualTo(beforeRollback);
    assertThat(repo.git("fsck", "--no-progress", "--no-dangling")).isEmpty();
  }

  @Test
  void case01RollbackNeverWritesThroughAnIgnoredSymlinkAndUndoKeepsIt() throws Exception {
    // given: vendor/lib.txt committed; then vendor/ replaced by an ignored symlink to a folder outside the repository
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "/vendor\n").write("a.txt", "a\n").commitAll("one");
    repo.write("vendor/lib.txt", "lib v1\n");
    repo.git("add", "-f", "vendor/lib.txt");
    repo.git("commit", "-q", "-m", "vendor");
    String session = startSession(repo);
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("lib.txt"), "outside, not the repository's\n");
    Files.delete(repo.dir().resolve("vendor/lib.txt"));
    Files.delete(repo.dir().resolve("vendor"));
    Files.createSymbolicLink(repo.dir().resolve("vendor"), outside);
    Map<String, String> before = RepoState.of(repo);

    // when: the rollback has to write vendor/lib.txt, whose leading folder is now an ignored symlink
    assertThatThrownBy(() -> cortex.rollback(session, "session-start", true))
        .isInstanceOf(RollbackFailedException.class)
        .hasMessageContaining("vendor")
        .hasMessageContaining("symbolic link");

    // then: nothing outside written, nothing inside changed; undo keeps the symlink too
    assertThat(outside.resolve("lib.txt")).hasContent("outside, not the repository's");
    assertThat(RepoState.of(repo)).isEqualTo(before);
    cortex.undo(session, false);
    assertThat(RepoState.of(repo)).isEqualTo(before);
    assertThat(Files.isSymbolicLink(repo.dir().resolve("vendor"))).isTrue();
    assertThat(outside.resolve("lib.txt")).hasContent("outside, not the repository's");
  }

  @Test
  void case02UndoKeepsAFileIgnoredByTheStateItReturnsTo() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("a.txt", "a\n").commitAll("one");
    String session = startSession(repo);
    repo.write(".gitignore", "*.log\n.env\n").commitAll("ignore .env");
    repo.write(".env", "SECRET=42\n");
    Map<String, String> beforeRollback = RepoState.of(repo);

    // when
    cortex.rollback(session, "session-start", true);

    // then: .env is ignored by the rules before the rollback: kept
    assertThat(repo.read(".env")).isEqualTo("SECRET=42\n");

    // when: undo returns to a state whose rules ignore .env
    cortex.undo(session, false);

    // then
    assertThat(repo.read(".env")).isEqualTo("SECRET=42\n");
    assertThat(RepoState.of(repo)).isEqualTo(beforeRollback);
  }

  @Test
  void case03aLossyCleanFilterKeepsTheBytesOnDisk() {
    // given: an nbstripout-like clean filter that drops output lines from what git stores
    TempRepo repo = TempRepo.init(temp);
    repo.git("config", "filter.strip.clean", "grep -v '^OUTPUT'");
    repo.write(".gitattributes", "*.nb filter=strip\n").write("notebook.nb", "code 1\nOUTPUT 1\n").commitAll("nb");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("notebook.nb", "code 2\nOUTPUT 2\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void case03bReversibleFilterRestoresTheSmudgedForm() {
    // given: rot13 as clean and smudge, standing in for git-crypt
    TempRepo repo = TempRepo.init(temp);
    repo.git("config", "filter.rot.clean", "tr A-Za-z N-ZA-Mn-za-m");
    repo.git("config", "filter.rot.smudge", "tr A-Za-z N-ZA-Mn-za-m");
    repo.write(".gitattributes", "*.secret filter=rot\n").write("a.secret", "hello\n").commitAll("secret");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("a.secret", "world\n").write("b.secret", "new\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
    assertThat(repo.git("cat-file", "-p", "HEAD:a.secret")).isEqualTo("uryyb\n");
  }

  @Test
  void case03cGitLfsFilesComeBackAsContentAndStayOutOfGitObjects() {
    // given: a 500,000-byte LFS file, changed after the session started
    TempRepo repo = TempRepo.init(temp);
    repo.git("lfs", "install", "--local");
    repo.git("lfs", "track", "*.bin");
    Random random = new Random(15);
    byte[] v1 = new byte[500_000];
    random.nextBytes(v1);
    repo.write("model.bin", v1).commitAll("model");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    byte[] v2 = new byte[500_000];
    random.nextBytes(v2);
    repo.write("model.bin", v2);

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
    assertThat(repo.bytes("model.bin")).isEqualTo(v2);
    for (String size : repo.git("cat-file", "--batch-all-objects", "--batch-check=%(objectsize)").split("\n")) {
      assertThat(Long.parseLong(size.trim())).as("no LFS content in git objects").isLessThan(100_000);
    }
  }

  @Test
  void case04aAutocrlfKeepsCrlfLineEndings() {
    // given: Git for Windows' default
    TempRepo repo = TempRepo.init(temp);
    repo.git("config", "core.autocrlf", "true");
    repo.write("a.txt", "one\r\ntwo\r\n").commitAll("crlf");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("a.txt", "one\r\nthree\r\n").write("b.txt", "new\r\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
    assertThat(repo.read("a.txt")).isEqualTo("one\r\nthree\r\n");
  }

  @Test
  void case04bEolCrlfAttributeKeepsCrlf() {
    // given
    TempRepo repo = TempRepo.init(temp);
    repo.write(".gitattributes", "*.txt text eol=crlf\n").write("a.txt", "one\r\ntwo\r\n").commitAll("crlf");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("a.txt", "one\r\nthree\r\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void case05AssumeUnchangedAndSkipWorktreeEditsAndBitsSurvive() {
    // given: local edits hidden from git by the two index flags
    TempRepo repo = TempRepo.init(temp).write("conf.txt", "default\n").write("local.txt", "default\n")
        .write("plain.txt", "p\n").commitAll("one");
    repo.git("update-index", "--assume-unchanged", "conf.txt");
    repo.git("update-index", "--skip-worktree", "local.txt");
    repo.write("conf.txt", "my local setting\n").write("local.txt", "my other setting\n");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("plain.txt", "changed\n").write("conf.txt", "edited again\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void case06PartialStagingSurvivesRollbackAndUndo() {
    // given: part of a change staged (as git add -p leaves it), the rest not
    TempRepo repo = TempRepo.init(temp).write("f.txt", "1\n2\n3\n").commitAll("one");
    repo.write("f.txt", "1\nX\n3\n");
    repo.git("add", "f.txt");
    repo.write("f.txt", "1\nX\n3\nY\n").write("new.txt", "untracked\n");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.git("add", "-A");
    repo.write("f.txt", "1\nZ\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void case07SparseCheckoutKeepsSkipWorktreeEntries() {
    // given: a cone that excludes src/test/
    TempRepo repo = TempRepo.init(temp).write("root.txt", "r\n").write("src/main/a.txt", "a\n");
    for (int i = 0; i < 5; i++) {
      repo.write("src/test/t" + i + ".txt", "t" + i + "\n");
    }
    repo.commitAll("one");
    repo.git("sparse-checkout", "set", "--cone", "src/main");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.write("root.txt", "changed\n").write("src/main/b.txt", "b\n");

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
    assertThat(repo.git("status", "--porcelain")).as("no staged deletions").isEqualTo(" M root.txt\n?? src/main/b.txt\n");
  }

  @Test
  void case08AConflictIsFoundBeforeAnythingIsTouched() throws Exception {
    // given: the checkpoint has a file 'out'; the disk has a folder out/ holding an ignored log
    TempRepo repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("out", "file\n").write("a.txt", "a\n")
        .commitAll("one");
    String session = startSession(repo);
    repo.delete("out").write("out/run.log", "precious log\n").write("a.txt", "changed\n").write("b.txt", "b\n");
    repo.commitAll("two");
    repo.write("a.txt", "uncommitted\n");
    Map<String, String> before = RepoState.of(repo);

    // when
    assertThatThrownBy(() -> cortex.rollback(session, "session-start", true))
        .isInstanceOf(RollbackFailedException.class)
        .hasMessageContaining("out");

    // then: not half-applied: branch, index, files as they were
    assertThat(RepoState.of(repo)).isEqualTo(before);
  }

  @Test
  void case08bAFailureHalfWayPutsTheStateBeforeBack() throws Exception {
    // given: a checkpoint with a.txt and z.boom; then a smudge filter for *.boom that fails, a.txt edited and
    // z.boom deleted, so the rollback writes a.txt, then fails on z.boom
    TempRepo repo = TempRepo.init(temp).write(".gitattributes", "*.boom filter=boom\n").write("a.txt", "a\n")
        .write("z.boom", "z\n").commitAll("one");
    String session = startSession(repo);
    repo.git("config", "filter.boom.smudge", "exit 3");
    repo.write("a.txt", "edited\n").delete("z.boom").write("new.txt", "untracked\n");
    Map<String, String> before = RepoState.of(repo);

    // when
    assertThatThrownBy(() -> cortex.rollback(session, "session-start", true))
        .isInstanceOf(RollbackFailedException.class)
        .hasMessageContaining("put back as it was before")
        .extracting(e -> ((RollbackFailedException) e).aftermath())
        .isEqualTo(RollbackFailedException.Aftermath.REVERTED);

    // then: not half-applied: the state before, every byte, the index and the branch
    assertThat(RepoState.of(repo)).isEqualTo(before);
  }

  @Test
  void case09PermissionsBeyond644And755Survive() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp).write("id_rsa", "key\n").write("ro.txt", "read only\n").write("a.txt", "a\n")
        .commitAll("one");
    Files.setPosixFilePermissions(repo.dir().resolve("id_rsa"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(repo.dir().resolve("ro.txt"), PosixFilePermissions.fromString("r--------"));
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    Files.setPosixFilePermissions(repo.dir().resolve("id_rsa"), PosixFilePermissions.fromString("rw-r--r--"));
    repo.write("a.txt", "changed\n").write("notes.txt", "n\n");
    Files.setPosixFilePermissions(repo.dir().resolve("notes.txt"), PosixFilePermissions.fromString("r--r-----"));

    // when / then
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void case10UndoRefusesAfterABranchSwitchAndForcedNeverMovesAnotherBranch() {
    // given: a rollback on main, then a hotfix branch with a commit
    TempRepo repo = TempRepo.init(temp).write("a.txt", "1\n").commitAll("one");
    String session = startSession(repo);
    repo.write("a.txt", "2\n").commitAll("two");
    String mainBefore = repo.git("rev-parse", "main").trim();
    Map<String, String> beforeRollback = RepoState.of(repo);
    cortex.rollback(session, "session-start", true);
    repo.git("checkout", "-q", "-b", "hotfix");
    repo.write("fix.txt", "fix\n").commitAll("fix");
    String hotfix = repo.git("rev-parse", "hotfix").trim();
    Map<String, String> onHotfix = RepoState.of(repo);

    // when / then: refused, naming both branches; nothing changed
    assertThatThrownBy(() -> cortex.undo(session, false))
        .hasMessageContaining("main").hasMessageContaining("hotfix");
    assertThat(RepoState.of(repo)).isEqualTo(onHotfix);

    // when: forced
    cortex.undo(session, true);

    // then: main is back where the rollback found it, hotfix untouched
    assertThat(repo.git("rev-parse", "hotfix").trim()).isEqualTo(hotfix);
    assertThat(repo.git("rev-parse", "main").trim()).isEqualTo(mainBefore);
    assertThat(RepoState.of(repo)).isEqualTo(withBranch(beforeRollback, "refs/heads/hotfix " + hotfix + "\n"));
  }

  private static Map<String, String> withBranch(Map<String, String> state, String extraRef) {
    Map<String, String> copy = new java.util.TreeMap<>(state);
    copy.put(":branches", (copy.get(":branches") + extraRef).lines().sorted()
        .map(l -> l + "\n").collect(java.util.stream.Collectors.joining()));
    return copy;
  }

  @Test
  void case11RollbackToACheckpointTakenBeforeTheFirstCommit() {
    // given: a session started in a repository without commits
    TempRepo repo = TempRepo.init(temp).write("a.txt", "first\n");
    String session = startSession(repo);
    Map<String, String> atStart = RepoState.of(repo);
    repo.commitAll("first commit");
    repo.write("a.txt", "second\n");

    // when / then: the branch is unborn again, the file untracked again
    assertRollbackAndUndoExact(repo, session, atStart);
  }

  @Test
  void atLeastAsExactAsGitsOwnStashRoundTrip() throws Exception {
    // given: two identical repositories, each with a clean checkpoint, then partial staging, an untracked file,
    // a 600 file, a CRLF edit under autocrlf and an assume-unchanged edit
    TempRepo withStash = mixedSetUp(Files.createDirectories(temp.resolve("stash")), null);
    TempRepo withCortex = mixedSetUp(Files.createDirectories(temp.resolve("cortex")), "fidelity-stash");
    Map<String, String> stashBefore = RepoState.of(withStash);
    Map<String, String> cortexBefore = RepoState.of(withCortex);

    // when: git's round trip (stash everything, pop it with the index) and Cortex's (rollback, undo)
    withStash.git("stash", "push", "-q", "--include-untracked");
    withStash.git("stash", "pop", "-q", "--index");
    cortex.rollback("fidelity-stash", "session-start", true);
    cortex.undo("fidelity-stash", false);

    // then: Cortex gives back everything; whatever git's round trip changes, Cortex changes no more
    java.util.Set<String> gitChanged = differing(stashBefore, RepoState.of(withStash));
    java.util.Set<String> cortexChanged = differing(cortexBefore, RepoState.of(withCortex));
    assertThat(cortexChanged).as("git's own round trip changed %s", gitChanged).isEmpty();
  }

  private static java.util.Set<String> differing(Map<String, String> a, Map<String, String> b) {
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    keys.removeIf(k -> java.util.Objects.equals(a.get(k), b.get(k)));
    return keys;
  }

  private static TempRepo mixedSetUp(Path dir, String session) throws Exception {
    TempRepo repo = TempRepo.init(dir);
    repo.git("config", "core.autocrlf", "true");
    repo.write("f.txt", "1\n2\n3\n").write("crlf.txt", "a\r\nb\r\n").write("conf.txt", "default\n")
        .write("key", "k\n").commitAll("one");
    if (session != null) {
      cortex.startSession(Workflow.PLANNING, session, repo.dir());
    }
    repo.write("f.txt", "1\nX\n3\n");
    repo.git("add", "f.txt");
    repo.write("f.txt", "1\nX\n3\nY\n").write("untracked.txt", "u\n").write("crlf.txt", "a\r\nc\r\n");
    Files.setPosixFilePermissions(repo.dir().resolve("key"), PosixFilePermissions.fromString("rw-------"));
    repo.git("update-index", "--assume-unchanged", "conf.txt");
    repo.write("conf.txt", "local\n");
    return repo;
  }
}
