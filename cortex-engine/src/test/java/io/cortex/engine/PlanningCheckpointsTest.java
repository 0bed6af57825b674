package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation's acceptance scenario: a Planning session on a repository with every kind of file. */
class PlanningCheckpointsTest {

  @TempDir
  Path temp;

  private Cortex cortex;
  private TempRepo repo;

  @BeforeEach
  void setUp() throws Exception {
    cortex = TestEngines.cortex();
    BpmnAwareTests.init(cortex.engine());
    repo = TempRepo.init(temp);
    repo.write(".gitignore", "build/\n*.log\n")
        .write("src/App.java", "class App {}\n")
        .write("src/Staged.java", "class Staged {}\n")
        .write("README.md", "# demo\n")
        .write("doomed.txt", "to be deleted\n")
        .write("assets/logo.bin", new byte[] {0, 1, 2, (byte) 255, 0, 10, 13})
        .commitAll("initial");
    Files.createSymbolicLink(repo.dir().resolve("link-to-readme"), Path.of("README.md"));
    repo.write("src/App.java", "class App { int changed; }\n")       // modified, unstaged
        .write("src/Staged.java", "class Staged { int staged; }\n");  // staged, then modified again
    repo.git("add", "src/Staged.java");
    repo.write("src/Staged.java", "class Staged { int stagedThenChanged; }\n")
        .delete("doomed.txt")                                         // deleted
        .write("notes/todo.txt", "untracked\n")                       // untracked
        .write("build/out.class", "ignored\n")                        // ignored directory
        .write("debug.log", "ignored\n")                              // ignored file
        .write("assets/new.bin", new byte[] {(byte) 0xCA, (byte) 0xFE, 0});
  }

  @AfterEach
  void tearDown() {
    cortex.engine().close();
  }

  @Test
  void everyPhaseEndTakesASnapshotEqualToTheDiskWithoutTouchingTheUsersRepository() {
    // given
    String before = repo.userVisibleState();
    String expectedTree = repo.nativeSnapshotTree();

    // when
    cortex.startSession(Workflow.PLANNING, "feature-auth-001", repo.dir());
    assertThat(repo.userVisibleState()).isEqualTo(before);
    assertSnapshotOf("session-start", expectedTree);

    cortex.completePhase("feature-auth-001", "DoR", Map.of("requirements_validated", true, "acceptance_criteria_count", 5));
    assertThat(repo.userVisibleState()).isEqualTo(before);
    assertSnapshotOf("dor-1", expectedTree);

    repo.write("src/Feature.java", "class Feature {}\n");
    String afterImplementation = repo.nativeSnapshotTree();
    String beforeImplementation = repo.userVisibleState();
    cortex.completePhase("feature-auth-001", "Implementation", Map.of("tests_passing", 25, "coverage", 92.5));
    assertThat(repo.userVisibleState()).isEqualTo(beforeImplementation);
    assertSnapshotOf("implementation-1", afterImplementation);

    cortex.completePhase("feature-auth-001", "dod", Map.of());
    assertSnapshotOf("dod-1", afterImplementation);

    // then
    SessionStatus status = cortex.status("feature-auth-001");
    assertThat(status.running()).isFalse();
    assertThat(status.checkpoints()).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "dor-1", "implementation-1", "dod-1");
    assertThat(status.checkpoints()).extracting(Checkpoint::type).containsExactly(
        CheckpointType.SESSION_START, CheckpointType.PHASE_END, CheckpointType.PHASE_END, CheckpointType.PHASE_END);
    assertThat(status.checkpoints().get(2).metrics()).containsEntry("tests_passing", 25).containsEntry("coverage", 92.5);
    assertThat(status.checkpoints()).allSatisfy(c -> {
      assertThat(c.baseCommit()).isEqualTo(repo.git("rev-parse", "HEAD").trim());
      assertThat(c.branch()).isEqualTo("main");
    });
    assertThat(repo.git("for-each-ref", "--format=%(refname)", "refs/cortex/").lines().toList()).containsExactlyInAnyOrder(
        "refs/cortex/checkpoints/feature-auth-001/session-start",
        "refs/cortex/checkpoints/feature-auth-001/dor-1",
        "refs/cortex/checkpoints/feature-auth-001/implementation-1",
        "refs/cortex/checkpoints/feature-auth-001/dod-1");
    assertThat(repo.git("fsck", "--no-progress", "--strict")).isEmpty();
  }

  @Test
  void snapshotKeepsUntrackedBinaryAndSymlinkAndLeavesIgnoredAndDeletedFilesOut() {
    // when
    cortex.startSession(Workflow.PLANNING, "kinds-001", repo.dir());

    // then
    String snapshot = "refs/cortex/checkpoints/kinds-001/session-start";
    List<String> files = repo.git("ls-tree", "-r", "--name-only", snapshot).lines().toList();
    assertThat(files).contains("notes/todo.txt", "assets/new.bin", "link-to-readme", "src/Staged.java")
        .doesNotContain("build/out.class", "debug.log", "doomed.txt");
    assertThat(repo.git("ls-tree", snapshot, "link-to-readme")).startsWith("120000");
    assertThat(repo.git("show", snapshot + ":src/Staged.java")).contains("stagedThenChanged");
    assertThat(repo.git("cat-file", "-p", snapshot)).contains("parent " + repo.git("rev-parse", "HEAD").trim());
  }

  @Test
  void processWaitsInEachPhaseAndEndsAfterDod() {
    // when
    cortex.startSession(Workflow.PLANNING, "paths-001", repo.dir());
    ProcessInstance instance = cortex.engine().getRuntimeService().createProcessInstanceQuery()
        .processInstanceBusinessKey("paths-001").singleResult();

    // then
    assertThat(instance).isWaitingAt("Task_CompleteDor");
    cortex.completePhase("paths-001", "DoR", Map.of());
    assertThat(instance).isWaitingAt("Task_CompleteImplementation").hasPassed("SubProcess_Dor");
    cortex.completePhase("paths-001", "Implementation", Map.of());
    assertThat(instance).isWaitingAt("Task_CompleteDod");
    cortex.completePhase("paths-001", "DoD", Map.of());
    assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone");
    assertThat(instance).variables().doesNotContainKey(CortexVariables.METRICS);
  }

  private void assertSnapshotOf(String checkpointId, String expectedTree) {
    Checkpoint checkpoint = cortex.checkpoint(checkpointIdSession(), checkpointId);
    String tree = repo.git("rev-parse", checkpoint.snapshotCommit() + "^{tree}").trim();
    assertThat(tree).as("tree of %s equals native git's snapshot of the disk", checkpointId).isEqualTo(expectedTree);
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + checkpointIdSession() + "/" + checkpointId).trim())
        .isEqualTo(checkpoint.snapshotCommit());
  }

  private String checkpointIdSession() {
    return "feature-auth-001";
  }
}
