package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.Cortex;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.git.GitWorkspace;
import io.cortex.git.StaleGitLockException;
import io.cortex.retention.RetentionPolicy;
import io.cortex.retention.RetentionReport;
import io.cortex.retention.RetentionService;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git lock file left behind ({@code index.lock}, a ref's {@code .lock}, {@code packed-refs.lock}) is reported
 * with the file, its age and the fix, is never deleted, and nothing is changed: refs, index, working tree,
 * catalogue and audit log stay byte for byte as they were. (The CLI's one-line report: {@link CliFuzzTest}.)
 */
class StaleGitLockTest {


  private static final AtomicInteger SESSIONS = new AtomicInteger();

  @TempDir
  Path temp;

  private final Cortex cortex = SharedEngine.cortex();
  private String session;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    session = "stale-lock-" + SESSIONS.incrementAndGet();
    repo = TempRepo.init(temp).write("README.md", "# locks\n").write("src/App.java", "class App {}\n")
        .commitAll("init");
    cortex.startSession(Workflow.PLANNING, session, repo.dir());
    repo.write("src/App.java", "class App { int v1; }\n");
    cortex.createCheckpoint(session, "v1", Map.of());
    repo.write("src/App.java", "class App { int v2; }\n").write("notes.txt", "untracked\n");
    cortex.createCheckpoint(session, "v2", Map.of());
    cortex.rollback(session, "v1", true);
  }

  @Test
  void staleIndexLockStopsACheckpointWithTheFixAndChangesNothing() throws IOException {
    Path lock = lockFile(".git/index.lock", Duration.ofHours(2));
    assertRefusedUnchanged(lock, () -> cortex.createCheckpoint(session, "v3", Map.of()), "2 h 0 min");
  }

  @Test
  void staleBranchRefLockStopsARollbackWithTheFixAndChangesNothing() throws IOException {
    Path lock = lockFile(".git/refs/heads/main.lock", Duration.ofMinutes(5));
    assertRefusedUnchanged(lock, () -> cortex.rollback(session, "v2", true), "5 min");
  }

  @Test
  void aLockFileAKilledCheckpointLeftOnItsOwnRefIsRemovedByTheNextCheckpointOfThatId() throws IOException {
    // only Cortex writes refs/cortex/**, under the repository's lock, and no row has the id v3: a killed
    // checkpoint left this file (see LeftoverLockFiles)
    Path lock = lockFile(".git/refs/cortex/checkpoints/" + session + "/v3.lock", Duration.ofSeconds(40));
    Checkpoint v3 = cortex.createCheckpoint(session, "v3", Map.of());
    assertThat(lock).doesNotExist();
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + session + "/v3").trim()).isEqualTo(v3.snapshotCommit());
  }

  @Test
  void aStaleLockOnARefTheCheckpointDoesNotWriteIsLeftAloneAndDoesNotStopIt() throws IOException {
    // given: a lock left on another branch and on another checkpoint's ref
    Path otherBranch = lockFile(".git/refs/heads/other.lock", Duration.ofHours(1));
    Path otherCheckpoint = lockFile(".git/refs/cortex/checkpoints/" + session + "/v1.lock", Duration.ofHours(1));

    // when
    Checkpoint c = cortex.createCheckpoint(session, "v3", Map.of());

    // then
    assertThat(c.checkpointId()).isEqualTo("v3");
    assertThat(otherBranch).exists();
    assertThat(otherCheckpoint).exists();
  }

  @Test
  void stalePackedRefsLockStopsAnUndoWithTheFixAndChangesNothing() throws IOException {
    Path lock = lockFile(".git/packed-refs.lock", Duration.ofDays(3));
    assertRefusedUnchanged(lock, () -> cortex.undo(session, true), "3 days");
  }

  @Test
  void staleLockSkipsRetentionOfThatRepositoryWithTheFixAndDeletesNothingUntilItIsGone() throws IOException {
    // given
    Path lock = lockFile(".git/index.lock", Duration.ofMinutes(10));
    State before = state();

    // when: a policy that would delete all but the newest checkpoint
    RetentionReport blocked = retention();

    // then: reported with the fix, nothing deleted; once the user removed the file, retention does its work
    assertThat(blocked.deleted()).noneMatch(d -> d.checkpoint().sessionId().equals(session));
    assertThat(String.join("\n", blocked.problems())).contains(lock.toString(), "delete " + lock,
        "Another git process may be running");
    assertThat(lock).exists();
    assertThat(state()).isEqualTo(before);
    Files.delete(lock);
    assertThat(retention().deleted()).anyMatch(d -> d.checkpoint().sessionId().equals(session));
  }

  @Test
  void indexLockTakenJustBeforeARestoreIsReportedLikeAStaleOneByTheGitLayer() throws IOException {
    // given: the pre-check passed long ago; then someone takes the index lock (JGit's own lock fails)
    Checkpoint v2 = cortex.checkpoint(session, "v2");
    Path lock = lockFile(".git/index.lock", Duration.ZERO);
    Map<String, String> disk = DiskState.everything(repo.dir());

    // when
    Throwable failure;
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      failure = catchThrowable(() -> git.restoreSnapshot(v2.snapshotCommit(), v2.baseCommit(), Long.MAX_VALUE));
    }

    // then
    assertThat(failure).isInstanceOf(StaleGitLockException.class).hasMessageContaining(lock.toString())
        .hasMessageContaining("delete " + lock);
    assertThat(lock).exists();
    assertThat(DiskState.everything(repo.dir())).isEqualTo(disk);
  }

  @Test
  void aLockThatGoesAwayWithinTheGracePeriodIsALiveGitWriteAndIsWaitedFor() throws Exception {
    // given: a lock file that a "git process" removes 150 ms later
    Path lock = lockFile(".git/index.lock", Duration.ZERO);
    Thread git = new Thread(() -> {
      try {
        Thread.sleep(150);
        Files.delete(lock);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    git.start();

    // when
    Checkpoint c = cortex.createCheckpoint(session, "after-live-git", Map.of());
    git.join();

    // then
    assertThat(c.checkpointId()).isEqualTo("after-live-git");
    assertThat(Consistency.problems(repo.dir(), session, cortex.checkpoints(session))).isEmpty();
  }

  // --- helpers ---

  private void assertRefusedUnchanged(Path lock, Runnable operation, String age) {
    // given
    State before = state();

    // when
    Throwable failure = catchThrowable(operation::run);

    // then
    assertThat(failure).isInstanceOf(StaleGitLockException.class);
    assertThat(failure.getMessage()).contains(lock.toString(), "created", age, "Another git process may be running in "
        + repo.dir(), "If no git process is running in " + repo.dir() + ", delete " + lock, "Nothing was changed");
    assertThat(((StaleGitLockException) failure).lockFile()).isEqualTo(lock);
    assertThat(lock).as("the lock file is never deleted").exists();
    assertThat(state()).isEqualTo(before);
  }

  private Path lockFile(String relative, Duration age) throws IOException {
    Path lock = repo.dir().resolve(relative);
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(age)));
    return lock;
  }

  /** Disk (with .git) and catalogue (rows, sessions, audit log). */
  private State state() {
    return new State(DiskState.everything(repo.dir()), cortex.checkpoints(session), cortex.sessions(),
        cortex.audit(null, 100_000));
  }

  private record State(Map<String, String> disk, List<Checkpoint> checkpoints, List<?> sessions,
                       List<AuditEntry> audit) {
  }

  private static RetentionReport retention() {
    return new RetentionService(SharedEngine.plugin().locks()).run(SharedEngine.transactions(), processInstance -> false,
        Clock.systemUTC(), new RetentionPolicy(1, 0, 0));
  }
}
