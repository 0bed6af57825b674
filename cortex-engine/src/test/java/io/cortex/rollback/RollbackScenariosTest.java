package io.cortex.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.config.CortexConfig;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's three usage scenarios, end to end on real repositories and a real engine. */
class RollbackScenariosTest {

  @TempDir
  Path temp;

  @Test
  void scenario1ReturnsToDorAfterAFailedImplementation() {
    try (Cortex cortex = TestEngines.cortex()) {
      // given: DoR done, then an implementation that went wrong, with two checkpoints along the way
      TempRepo repo = TempRepo.init(temp).write("README.md", "# auth\n").commitAll("init");
      cortex.startSession(Workflow.PLANNING, "feature-auth-001", repo.dir());
      repo.write("docs/requirements.md", "- login\n");
      cortex.completePhase("feature-auth-001", "DoR", Map.of("requirements_validated", true));
      String dorTree = repo.nativeSnapshotTree();
      repo.write("src/Auth.java", "class Auth { /* attempt 1 */ }\n");
      cortex.createCheckpoint("feature-auth-001", "impl-checkpoint-1", Map.of());
      repo.write("src/Auth.java", "class Auth { /* attempt 2, broken */ }\n").write("src/Hack.java", "hack\n");
      cortex.createCheckpoint("feature-auth-001", "impl-checkpoint-2", Map.of());

      // when: 1. list, 2. preview, 3. execute
      List<String> ids = cortex.checkpoints("feature-auth-001").stream().map(Checkpoint::checkpointId).toList();
      RollbackPreview preview = cortex.preview("feature-auth-001", "dor-1");
      RollbackResult result = cortex.rollback("feature-auth-001", "dor-1", true);

      // then
      assertThat(ids).containsExactly("session-start", "dor-1", "impl-checkpoint-1", "impl-checkpoint-2");
      assertThat(preview.untrackedRemoved()).containsExactlyInAnyOrder("src/Auth.java", "src/Hack.java");
      assertThat(preview.diff()).contains("-class Auth { /* attempt 2, broken */ }");
      assertThat(result.message()).startsWith("Rollback completed successfully");
      assertThat(repo.nativeSnapshotTree()).isEqualTo(dorTree);
      assertThat(repo.dir().resolve("src/Auth.java")).doesNotExist();
      assertThat(result.preRollback().type()).isEqualTo(CheckpointType.PRE_ROLLBACK);
      assertThat(repo.git("show", result.preRollback().snapshotCommit() + ":src/Hack.java")).isEqualTo("hack\n");
      cortex.engine().close();
    }
  }

  @Test
  void scenario2ReturnsToGreenAfterABrokenRefactorAndTheTestsPassAgain() throws Exception {
    try (Cortex cortex = TestEngines.cortex()) {
      // given: a tiny project whose test really runs
      TempRepo repo = TempRepo.init(temp)
          .write("test.sh", "#!/bin/sh\n[ \"$(sh calc.sh 2 3)\" = \"5\" ]\n")
          .write("calc.sh", "echo 0\n").commitAll("RED starts: calc is a stub");
      cortex.startSession(Workflow.TDD, "tdd-001", repo.dir());
      assertThat(runTests(repo)).as("RED: the test fails").isNotZero();
      cortex.completePhase("tdd-001", "RED", Map.of("tests_failing", 1));
      repo.write("calc.sh", "echo $(($1 + $2))\n");
      assertThat(runTests(repo)).as("GREEN: the test passes").isZero();
      cortex.completePhase("tdd-001", "GREEN", Map.of("tests_passing", 1, "tests_failing", 0));
      repo.write("calc.sh", "echo $(($1 - $2))  # 'simplified'\n");
      assertThat(runTests(repo)).as("the refactor broke the tests").isNotZero();

      // when: 1. check safety, 2. roll back to the last GREEN
      SafetyReport safety = cortex.checkSafety("tdd-001", "green-1");
      RollbackOutcome outcome = cortex.rollback("rollback session tdd-001 to last green force", null);

      // then
      assertThat(safety.safe()).isFalse();
      assertThat(safety.warning()).contains("Uncommitted changes detected");
      assertThat(safety.details()).contains("Files: calc.sh");
      assertThat(outcome.checkpointId()).isEqualTo("green-1");
      assertThat(runTests(repo)).as("tests passing again").isZero();
      assertThat(cortex.status("tdd-001").activePhases()).containsExactly("REFACTOR");
      cortex.engine().close();
    }
  }

  @Test
  void scenario3ResumesAfterInterruptionFromTheLastCheckpoint() {
    // given: a session interrupted after Implementation (the engine, i.e. the JVM, goes away)
    TempRepo repo = TempRepo.init(temp).write("README.md", "# x\n").commitAll("init");
    Path data = temp.resolve("data");
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      cortex.startSession(Workflow.PLANNING, "feature-auth-001", repo.dir());
      cortex.completePhase("feature-auth-001", "DoR", Map.of());
      cortex.completePhase("feature-auth-001", "Implementation", Map.of("tests_passing", 25, "coverage", 92.5));
    }

    // when: a new engine on the same database
    try (Cortex cortex = Cortex.start(CortexConfig.defaults(), data)) {
      SessionStatus status = cortex.status("feature-auth-001");
      Checkpoint last = status.lastCheckpoint();

      // then: the last checkpoint tells where to continue, and the session continues without rollback
      assertThat(last.phase()).isEqualTo("Implementation");
      assertThat(last.metrics()).containsEntry("tests_passing", 25).containsEntry("coverage", 92.5);
      assertThat(status.activePhases()).containsExactly("DoD");
      cortex.completePhase("feature-auth-001", "DoD", Map.of());
      assertThat(cortex.status("feature-auth-001").running()).isFalse();
    }
  }

  @Test
  void unknownCheckpointGetsTheSeedMessageWithTheAvailableIdsAndClosestMatch() {
    try (Cortex cortex = TestEngines.cortex()) {
      TempRepo repo = TempRepo.init(temp).write("a", "a\n").commitAll("init");
      cortex.startSession(Workflow.PLANNING, "s-1", repo.dir());
      cortex.completePhase("s-1", "DoR", Map.of());
      String before = repo.userVisibleState();

      assertThatThrownBy(() -> cortex.rollback("s-1", "dor-checkpoint", true))
          .hasMessageStartingWith("Invalid checkpoint: dor-checkpoint not found")
          .hasMessageContaining("session-start").hasMessageContaining("dor-1");
      assertThat(repo.userVisibleState()).isEqualTo(before);
      cortex.engine().close();
    }
  }

  private static int runTests(TempRepo repo) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "test.sh").directory(repo.dir().toFile()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

}
