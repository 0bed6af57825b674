package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every safety refusal: its message, that it changes nothing, and whether force gets past it. */
class SafetyRefusalsTest {

  private static final String SESSION = "safety-001";

  @TempDir
  Path temp;

  private Cortex cortex;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    cortex = TestEngines.cortex();
    repo = TempRepo.init(temp).write(".gitignore", "*.log\n").write("f.txt", "base\n").commitAll("base");
    cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
    cortex.completePhase(SESSION, "DoR", Map.of());
  }

  @AfterEach
  void tearDown() {
    cortex.engine().close();
  }

  @Test
  void uncommittedChangesAreRefusedWithTheSeedMessageAndForceGetsPast() {
    // given
    repo.write("f.txt", "dirty\n").write("new.txt", "new\n").write("x.log", "ignored\n");

    // when / then
    assertRefusedChangingNothing("Safety check failed: Uncommitted changes detected\nFiles: f.txt, new.txt\n"
        + "Commit or stash changes before rollback.");
    RollbackResult forced = cortex.rollback(SESSION, "dor-1", true);
    assertThat(repo.read("f.txt")).isEqualTo("base\n");
    assertThat(repo.read("x.log")).isEqualTo("ignored\n");
    assertThat(repo.git("show", forced.preRollback().snapshotCommit() + ":f.txt")).isEqualTo("dirty\n");
  }

  @Test
  void mergeInProgressIsRefusedEvenWithForce() {
    // given: a real conflicted merge
    repo.git("checkout", "-q", "-b", "other");
    repo.write("f.txt", "other\n").commitAll("other");
    repo.git("checkout", "-q", "main");
    repo.write("f.txt", "main\n").commitAll("main");
    try {
      repo.git("merge", "-q", "other");
    } catch (AssertionError conflict) {
      // expected
    }

    // when / then
    assertRefusedChangingNothing("Safety check failed: Merge in progress - resolve conflicts first");
    Map<String, String> before = DiskState.everything(repo.dir());
    assertThatThrownBy(() -> cortex.rollback(SESSION, "dor-1", true)).isInstanceOf(RollbackRefusedException.class)
        .hasMessageContaining("Merge in progress");
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
  }

  @Test
  void cherryPickAndRevertInProgressAreRefused() {
    // given: a conflicting cherry-pick
    repo.git("checkout", "-q", "-b", "other");
    repo.write("f.txt", "other\n").commitAll("other");
    repo.git("checkout", "-q", "main");
    repo.write("f.txt", "main\n").commitAll("main");
    try {
      repo.git("cherry-pick", "other");
    } catch (AssertionError conflict) {
      // expected
    }

    assertRefusedChangingNothing("Safety check failed: Cherry-pick in progress - finish or abort it first");
    repo.git("cherry-pick", "--abort");
    try {
      repo.git("revert", "--no-edit", "HEAD~0");
      repo.write("f.txt", "conflict\n").commitAll("c");
      repo.git("revert", "--no-edit", "HEAD~1");
    } catch (AssertionError conflict) {
      // a conflicted revert is what we want
    }
    if (Files.exists(repo.dir().resolve(".git/REVERT_HEAD"))) {
      assertRefusedChangingNothing("Safety check failed: Revert in progress - finish or abort it first");
    }
  }

  @Test
  void rebaseInProgressIsRefusedEvenWithForce() {
    // given: a rebase stopped on a conflict
    repo.git("checkout", "-q", "-b", "other");
    repo.write("f.txt", "other\n").commitAll("other");
    repo.git("checkout", "-q", "main");
    repo.write("f.txt", "main\n").commitAll("main");
    repo.git("checkout", "-q", "other");
    try {
      repo.git("rebase", "main");
    } catch (AssertionError conflict) {
      // expected: the rebase stops
    }

    // when / then
    assertRefusedChangingNothing("Safety check failed: Rebase in progress - finish or abort it first");
    assertThatThrownBy(() -> cortex.rollback(SESSION, "dor-1", true)).hasMessageContaining("Rebase in progress");
  }

  @Test
  void movedHeadIsRefusedAndForceGetsPast() {
    // given
    repo.write("g.txt", "g\n").commitAll("moved on");

    // when / then
    assertRefusedChangingNothing("Safety check failed: HEAD moved since checkpoint dor-1");
    cortex.rollback(SESSION, "dor-1", true);
    assertThat(repo.git("log", "-1", "--format=%s")).isEqualTo("base\n");
    assertThat(repo.dir().resolve("g.txt")).doesNotExist();
  }

  @Test
  void changedBranchIsRefused() {
    // given
    repo.git("checkout", "-q", "-b", "feature");

    // when / then
    assertRefusedChangingNothing("Safety check failed: Branch changed since checkpoint dor-1 (main then, feature now)");
  }

  @Test
  void alteredCatalogueRowFailsTheIntegrityCheckEvenWithForce() throws Exception {
    // given
    sql("UPDATE CORTEX_CHECKPOINT SET BASE_COMMIT_ = '0000000000000000000000000000000000000000' WHERE CHECKPOINT_ID_ = 'dor-1'");

    // when / then
    assertRefusedChangingNothing("failed its integrity check");
    assertThatThrownBy(() -> cortex.rollback(SESSION, "dor-1", true)).hasMessageContaining("cortex rebuild --session " + SESSION);
  }

  @Test
  void unreadableSnapshotIsRefusedEvenWithForce() throws Exception {
    // given: the snapshot object is gone (e.g. removed by hand)
    Checkpoint dor = cortex.checkpoint(SESSION, "dor-1");
    Path object = repo.dir().resolve(".git/objects/" + dor.snapshotCommit().substring(0, 2) + "/" + dor.snapshotCommit().substring(2));
    Files.delete(object);

    // when / then
    assertRefusedChangingNothing("Checkpoint dor-1 cannot be read");
  }

  @Test
  void dryRunChangesNothingAndShowsWhatWouldChange() {
    // given
    repo.write("f.txt", "dirty\n").write("later.txt", "later\n").write("x.log", "ignored\n");
    Map<String, String> before = DiskState.everything(repo.dir());

    // when
    RollbackOutcome outcome = cortex.rollback("rollback session " + SESSION + " to dor-1 dry run", null);

    // then
    assertThat(DiskState.everything(repo.dir())).isEqualTo(before);
    assertThat(outcome.result()).isNull();
    assertThat(outcome.preview().modified()).containsExactly("f.txt");
    assertThat(outcome.preview().untrackedRemoved()).containsExactly("later.txt");
    assertThat(outcome.preview().diff()).contains("-dirty").contains("+base");
    assertThat(outcome.preview().safety().safe()).isFalse();
  }

  @Test
  void everyRefusalIsAudited() {
    // given
    repo.write("f.txt", "dirty\n");

    // when
    assertThatThrownBy(() -> cortex.rollback(SESSION, "dor-1", false)).isInstanceOf(RollbackRefusedException.class);

    // then
    List<AuditEntry> audit = cortex.audit(SESSION, 10);
    AuditEntry last = audit.get(audit.size() - 1);
    assertThat(last.action()).isEqualTo(AuditAction.SAFETY_REFUSED);
    assertThat(last.details()).containsEntry("refusals", List.of("UNCOMMITTED_CHANGES"));
  }

  private void assertRefusedChangingNothing(String expectedMessagePart) {
    Map<String, String> before = DiskState.everything(repo.dir());
    List<Checkpoint> checkpointsBefore = cortex.checkpoints(SESSION);
    assertThat(cortex.checkSafety(SESSION, "dor-1").details()).contains(expectedMessagePart);
    assertThatThrownBy(() -> cortex.rollback(SESSION, "dor-1", false))
        .isInstanceOf(RollbackRefusedException.class).hasMessageContaining(expectedMessagePart);
    assertThat(DiskState.everything(repo.dir())).as("repository byte-identical").isEqualTo(before);
    assertThat(cortex.checkpoints(SESSION)).as("no checkpoint taken").isEqualTo(checkpointsBefore);
  }

  private void sql(String statementText) throws Exception {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration();
    try (Connection connection = configuration.getDataSource().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute(statementText);
    }
  }
}
