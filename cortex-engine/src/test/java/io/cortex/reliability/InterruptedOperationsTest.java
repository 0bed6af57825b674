package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.config.CortexConfig;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.StaleGitLockException;
import io.cortex.intent.IntentLog;
import io.cortex.intent.IntentOperation;
import io.cortex.lock.RepositoryBusyException;
import io.cortex.lock.RepositoryLocks;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operation whose process died half-way leaves its intent pending; the next engine to start (or the next
 * operation to take the repository's lock) finishes it. The half-done states are made by hand here, from a
 * real rollback whose intent is set back to pending; {@link CrashSoakTest} gets them from {@code kill -9}.
 */
class InterruptedOperationsTest {

  private static final String SESSION = "interrupted";

  @TempDir
  Path temp;

  private Path data;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    data = temp.resolve("data");
    repo = TempRepo.init(temp);
    for (int i = 0; i < 20; i++) {
      repo.write("src/F" + i + ".java", "class F" + i + " { int v = 0; }\n");
    }
    repo.commitAll("init");
  }

  @Test
  void aRollbackInterruptedBeforeTheBranchMovedIsFinishedWhenTheNextEngineStarts() throws IOException {
    Map<String, String> target;
    Map<String, String> before;
    String targetBase;
    String headBefore;
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      repo.write("src/F1.java", "class F1 { int v = 1; }\n");
      cortex.createCheckpoint(SESSION, "v1", Map.of());
      target = DiskState.workingTree(repo.dir());
      targetBase = repo.git("rev-parse", "HEAD").trim();
      for (int i = 0; i < 20; i++) {
        repo.write("src/F" + i + ".java", "class F" + i + " { int v = 2; }\n");
      }
      repo.commitAll("second").write("untracked.txt", "only on disk\n");
      headBefore = repo.git("rev-parse", "HEAD").trim();
      before = DiskState.workingTree(repo.dir());
      cortex.rollback(SESSION, "v1", true);
      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(target);
      sql(cortex, "UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL");
    }
    // as the dead process left it: branch not moved yet, half the files written, the index locked
    repo.git("update-ref", "refs/heads/main", headBefore);
    for (int i = 0; i < 10; i++) {
      repo.write("src/F" + i + ".java", "class F" + i + " { int v = 2; }\n");
    }
    Path indexLock = repo.dir().resolve(".git/index.lock");
    Files.writeString(indexLock, "");
    Files.setLastModifiedTime(indexLock, FileTime.from(Instant.now().minusSeconds(1)));

    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(target);
      assertThat(indexLock).doesNotExist();
      assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(targetBase);
      assertThat(states(cortex)).containsExactly("ROLLBACK COMPLETED");
      AuditEntry resumed = last(cortex);
      assertThat(resumed.action()).isEqualTo(AuditAction.OPERATION_RESUMED);
      assertThat(resumed.outcome()).isEqualTo(AuditOutcome.SUCCESS);
      assertThat(resumed.details()).containsEntry("operation", "ROLLBACK").containsKey("removedLockFiles");
      assertThat(Consistency.problems(repo.dir(), SESSION, cortex.checkpoints(SESSION))).isEmpty();
      // the PRE_ROLLBACK checkpoint holds everything that was on disk: undo brings it all back
      cortex.undo(SESSION, true);
      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(before);
      assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(headBefore);
    }
  }

  @Test
  void aRollbackIsNotFinishedOverWorkDoneSinceItWasInterrupted() {
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      cortex.createCheckpoint(SESSION, "v1", Map.of());
      repo.write("src/F1.java", "class F1 { int v = 2; }\n");
      cortex.rollback(SESSION, "v1", true);
      sql(cortex, "UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL");
    }
    // half-way (F1 as before the rollback), and then someone kept working while no engine ran
    repo.write("src/F1.java", "class F1 { int v = 2; }\n").write("src/F7.java", "class F7 { int edited; }\n");
    Map<String, String> disk = DiskState.workingTree(repo.dir());

    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      assertThat(states(cortex)).containsExactly("ROLLBACK FAILED");
      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(disk);
      AuditEntry resumed = last(cortex);
      assertThat(resumed.outcome()).isEqualTo(AuditOutcome.FAILURE);
      assertThat(String.valueOf(resumed.details().get("error"))).contains("src/F7.java").contains("nothing was touched");
    }
  }

  @Test
  void aRollbackWhoseBranchWasMovedMeanwhileIsMarkedFailedWithWhatToDoAndTouchesNothing() {
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      cortex.createCheckpoint(SESSION, "v1", Map.of());
      repo.write("src/F1.java", "class F1 { int v = 2; }\n").commitAll("second");
      cortex.rollback(SESSION, "v1", true);
      sql(cortex, "UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL");
    }
    repo.write("src/F2.java", "class F2 { int v = 3; }\n").commitAll("a commit made while no engine ran");
    String head = repo.git("rev-parse", "HEAD").trim();
    Map<String, String> disk = DiskState.workingTree(repo.dir());

    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      assertThat(states(cortex)).containsExactly("ROLLBACK FAILED");
      AuditEntry resumed = last(cortex);
      assertThat(resumed.outcome()).isEqualTo(AuditOutcome.FAILURE);
      String preRollback = cortex.checkpoints(SESSION).stream().filter(c -> c.type() == CheckpointType.PRE_ROLLBACK)
          .findFirst().orElseThrow().checkpointId();
      assertThat(String.valueOf(resumed.details().get("whatToDo"))).contains(preRollback).contains("cortex undo");
      // and an incident on the session's process instance, for Cockpit
      org.camunda.bpm.engine.runtime.Incident incident = cortex.engine().getRuntimeService().createIncidentQuery()
          .incidentType("cortexInterruptedOperation").singleResult();
      assertThat(incident).isNotNull();
      assertThat(incident.getProcessInstanceId()).isEqualTo(cortex.session(SESSION).processInstanceId());
      assertThat(incident.getIncidentMessage()).contains("could not be finished").contains(preRollback);
      cortex.engine().getRuntimeService().resolveIncident(incident.getId()); // what an operator does once it is sorted
      assertThat(cortex.engine().getRuntimeService().createIncidentQuery().count()).isZero();
      assertThat(repo.git("rev-parse", "HEAD").trim()).isEqualTo(head);
      assertThat(DiskState.workingTree(repo.dir())).isEqualTo(disk);
      cortex.createCheckpoint(SESSION, "after", Map.of()); // the repository is not blocked
    }
  }

  @Test
  void aRetentionRunInterruptedBetweenRowsAndRefsHasItsRefsDeleted() {
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      Checkpoint old = cortex.createCheckpoint(SESSION, "old", Map.of());
      cortex.createCheckpoint(SESSION, "kept", Map.of());
      // retention's first transaction: the row deleted, the intent listing its ref
      inTransaction(cortex, c -> {
        sql(c, "DELETE FROM CORTEX_CHECKPOINT WHERE CHECKPOINT_ID_ = 'old'");
        return new IntentLog(c).begin(IntentOperation.RETENTION, RepositoryLocks.key(repo.dir()), SESSION,
            Instant.now(), Map.of("refs", List.of(Map.of("ref", CheckpointRefs.refName(SESSION, "old"),
                "commit", old.snapshotCommit()))));
      });
    }
    assertThat(Consistency.refs(repo.dir(), SESSION)).containsKey("old");
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      assertThat(Consistency.refs(repo.dir(), SESSION)).doesNotContainKey("old").containsKey("kept");
      assertThat(states(cortex)).containsExactly("RETENTION COMPLETED");
      assertThat(Consistency.problems(repo.dir(), SESSION, cortex.checkpoints(SESSION))).isEmpty();
    }
  }

  @Test
  void aLockFileOlderThanTheInterruptedWriteIsNotItsOwnItStaysAndIsReported() throws IOException {
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      cortex.createCheckpoint(SESSION, "v1", Map.of());
      repo.write("src/F1.java", "class F1 { int v = 2; }\n");
      cortex.rollback(SESSION, "v1", true);
      sql(cortex, "UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL");
    }
    Path indexLock = repo.dir().resolve(".git/index.lock");
    Files.writeString(indexLock, "");
    Files.setLastModifiedTime(indexLock, FileTime.from(Instant.now().minus(Duration.ofHours(3))));

    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      assertThat(indexLock).exists();
      assertThat(states(cortex)).containsExactly("ROLLBACK PENDING");
      Throwable refused = catchThrowable(() -> cortex.createCheckpoint(SESSION, "blocked", Map.of()));
      assertThat(refused).isInstanceOf(StaleGitLockException.class).hasMessageContaining(indexLock.toString());
      assertThat(indexLock).exists();
      Files.delete(indexLock); // the fix the message gives
      cortex.createCheckpoint(SESSION, "v2", Map.of());
      assertThat(states(cortex)).containsExactly("ROLLBACK COMPLETED");
    }
  }

  @Test
  void anOperationWhoseLockVanishedWhileItsProcessStillRunsIsNeverActedOn() throws Exception {
    // given: a rollback's intent, pending, owned by a process that still runs (its lock vanished: as when the
    // process serving a shared database file exited and took the row lock with it)
    Process owner = new ProcessBuilder("sleep", "300").start();
    try {
      String host = RepositoryLocks.processName().substring(RepositoryLocks.processName().indexOf('@') + 1);
      try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
        cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
        cortex.createCheckpoint(SESSION, "v1", Map.of());
        repo.write("src/F1.java", "class F1 { int v = 2; }\n");
        cortex.rollback(SESSION, "v1", true);
        sql(cortex, "UPDATE CORTEX_INTENT SET STATE_ = 'PENDING', FINISHED_AT_ = NULL, OWNER_ = '" + owner.pid() + "@"
            + host + " rollback-thread'");
      }
      Path indexLock = repo.dir().resolve(".git/index.lock");
      Files.writeString(indexLock, ""); // the live rollback's own lock file, from after its intent
      Map<String, String> disk = DiskState.workingTree(repo.dir());

      try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
        // when: the engine starts, and another operation takes the repository's lock
        Throwable refused = catchThrowable(() -> cortex.createCheckpoint(SESSION, "second", Map.of()));

        // then: nothing of the live operation is touched; the new one is refused naming it
        assertThat(refused).isInstanceOf(RepositoryBusyException.class)
            .hasMessageContaining("rollback that " + owner.pid() + "@" + host).hasMessageContaining("still runs");
        assertThat(indexLock).exists();
        assertThat(DiskState.workingTree(repo.dir())).isEqualTo(disk);
        assertThat(states(cortex)).containsExactly("ROLLBACK PENDING");

        // and when: its process has ended, the next holder finishes it
        owner.destroyForcibly().waitFor();
        Files.setLastModifiedTime(indexLock, FileTime.from(Instant.now()));
        cortex.createCheckpoint(SESSION, "third", Map.of());
        assertThat(states(cortex)).containsExactly("ROLLBACK COMPLETED");
        assertThat(indexLock).doesNotExist();
      }
    } finally {
      owner.destroyForcibly();
    }
  }

  private static List<String> states(Cortex cortex) {
    return inTransaction(cortex, c -> {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT OPERATION_, STATE_ FROM CORTEX_INTENT ORDER BY CREATED_AT_")) {
        List<String> states = new java.util.ArrayList<>();
        while (rs.next()) {
          states.add(rs.getString(1) + " " + rs.getString(2));
        }
        return states;
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    });
  }

  private static AuditEntry last(Cortex cortex) {
    List<AuditEntry> entries = cortex.audit(SESSION, 1);
    return entries.get(entries.size() - 1);
  }

  private static void sql(Cortex cortex, String sql) {
    inTransaction(cortex, c -> {
      sql(c, sql);
      return null;
    });
  }

  private static void sql(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T inTransaction(Cortex cortex, Function<Connection, T> work) {
    DataSource dataSource = ((ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration())
        .getDataSource();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
