package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path through the shipped TDD and System Alignment workflows, driven through the Java
 * API on a real engine and a real git repository (Planning is covered by PlanningCheckpointsTest).
 */
class WorkflowPathsTest {

  @TempDir
  Path temp;

  private Cortex cortex;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    cortex = TestEngines.cortex();
    BpmnAwareTests.init(cortex.engine());
    repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").commitAll("initial");
  }

  @AfterEach
  void tearDown() {
    BpmnAwareTests.reset();
    cortex.engine().close();
  }

  // --- TDD ---

  @Test
  void tddSingleCycleGoesRedGreenRefactorAndEndsWithOneCheckpointPerPhase() {
    // given
    cortex.startSession(Workflow.TDD, "tdd-single-001", repo.dir());
    ProcessInstance instance = instanceOf("tdd-single-001");

    // when / then
    assertThat(instance).isWaitingAt("Task_CompleteRed");
    repo.write("src/AppTest.java", "class AppTest { /* failing */ }\n");
    cortex.completePhase("tdd-single-001", "RED", Map.of("failing_tests", 1));

    assertThat(instance).isWaitingAt("Task_CompleteGreen").hasPassed("SubProcess_Red");
    repo.write("src/App.java", "class App { int feature; }\n");
    cortex.completePhase("tdd-single-001", "GREEN", Map.of("failing_tests", 0));

    assertThat(instance).isWaitingAt("Task_CompleteRefactor").hasPassed("SubProcess_Green");
    cortex.completePhase("tdd-single-001", "REFACTOR", Map.of());

    // then
    assertThat(instance).isEnded().hasPassed("SubProcess_Refactor", "Gateway_AnotherCycle", "EndEvent_SessionDone");
    List<Checkpoint> checkpoints = cortex.checkpoints("tdd-single-001");
    assertThat(checkpoints).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "red-1", "green-1", "refactor-1");
    assertThat(checkpoints).extracting(Checkpoint::type).containsExactly(CheckpointType.SESSION_START,
        CheckpointType.PHASE_END, CheckpointType.PHASE_END, CheckpointType.PHASE_END);
    assertThat(checkpoints).extracting(Checkpoint::phase).containsExactly(null, "RED", "GREEN", "REFACTOR");
    assertThat(checkpoints).extracting(Checkpoint::sequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(repo.git("show", checkpoint(checkpoints, "red-1").snapshotCommit() + ":src/AppTest.java"))
        .contains("failing");
    assertThat(repo.git("show", checkpoint(checkpoints, "green-1").snapshotCommit() + ":src/App.java"))
        .contains("feature");
    assertThat(cortexRefs()).containsExactlyInAnyOrder(
        "refs/cortex/checkpoints/tdd-single-001/session-start",
        "refs/cortex/checkpoints/tdd-single-001/red-1",
        "refs/cortex/checkpoints/tdd-single-001/green-1",
        "refs/cortex/checkpoints/tdd-single-001/refactor-1");
    assertThat(cortex.status("tdd-single-001").running()).isFalse();
  }

  @Test
  void tddAnotherCycleLoopsBackToRedAndTheSecondCycleEndsWithoutBeingAskedAgain() {
    // given
    cortex.startSession(Workflow.TDD, "tdd-two-001", repo.dir());
    ProcessInstance instance = instanceOf("tdd-two-001");
    cortex.completePhase("tdd-two-001", "RED", Map.of());
    cortex.completePhase("tdd-two-001", "GREEN", Map.of());

    // when: the first REFACTOR asks for another cycle
    cortex.completePhase("tdd-two-001", "REFACTOR", Map.of(), Map.of("anotherCycle", true));

    // then: back in RED, and RED's start listener has cleared the decision
    assertThat(instance).isWaitingAt("Task_CompleteRed");
    assertThat(instance).variables().doesNotContainKey("anotherCycle");
    assertThat(cortex.status("tdd-two-001").activePhases()).containsExactly("RED");

    // when: the second cycle completes REFACTOR without saying anything about another cycle
    cortex.completePhase("tdd-two-001", "RED", Map.of());
    assertThat(instance).isWaitingAt("Task_CompleteGreen");
    cortex.completePhase("tdd-two-001", "GREEN", Map.of());
    assertThat(instance).isWaitingAt("Task_CompleteRefactor");
    cortex.completePhase("tdd-two-001", "REFACTOR", Map.of());

    // then: a stale anotherCycle=true would have looped again; the process ends instead
    assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone");
    assertThat(cortex.checkpoints("tdd-two-001")).extracting(Checkpoint::checkpointId).containsExactly(
        "session-start", "red-1", "green-1", "refactor-1", "red-2", "green-2", "refactor-2");
    assertThat(cortex.checkpoints("tdd-two-001")).extracting(Checkpoint::activityInstanceId)
        .as("each phase end belongs to its own activity instance").doesNotHaveDuplicates();
    assertThat(cortexRefs()).hasSize(7).contains(
        "refs/cortex/checkpoints/tdd-two-001/red-2",
        "refs/cortex/checkpoints/tdd-two-001/green-2",
        "refs/cortex/checkpoints/tdd-two-001/refactor-2");
  }

  @Test
  void tddAnotherCycleFalseEndsTheProcess() {
    // given
    cortex.startSession(Workflow.TDD, "tdd-false-001", repo.dir());
    ProcessInstance instance = instanceOf("tdd-false-001");
    cortex.completePhase("tdd-false-001", "RED", Map.of());
    cortex.completePhase("tdd-false-001", "GREEN", Map.of());

    // when
    cortex.completePhase("tdd-false-001", "REFACTOR", Map.of(), Map.of("anotherCycle", false));

    // then
    assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone");
    assertThat(cortex.checkpoints("tdd-false-001")).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "red-1", "green-1", "refactor-1");
  }

  // --- System Alignment ---

  @Test
  void systemAlignmentGoesDiscoveryThenValidationAndEnds() {
    // given
    cortex.startSession(Workflow.SYSTEM_ALIGNMENT, "align-001", repo.dir());
    ProcessInstance instance = instanceOf("align-001");

    // when / then
    assertThat(instance).isWaitingAt("Task_CompleteDiscovery");
    cortex.completePhase("align-001", "Discovery", Map.of("components_found", 3));
    assertThat(instance).isWaitingAt("Task_CompleteValidation").hasPassed("SubProcess_Discovery");
    cortex.completePhase("align-001", "Validation", Map.of("aligned", true));

    // then
    assertThat(instance).isEnded().hasPassed("SubProcess_Validation", "EndEvent_SessionDone");
    List<Checkpoint> checkpoints = cortex.checkpoints("align-001");
    assertThat(checkpoints).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "discovery-1", "validation-1");
    assertThat(checkpoints).extracting(Checkpoint::phase).containsExactly(null, "Discovery", "Validation");
    assertThat(checkpoint(checkpoints, "discovery-1").metrics()).containsEntry("components_found", 3);
    assertThat(checkpoint(checkpoints, "validation-1").metrics()).containsEntry("aligned", true);
    assertThat(cortexRefs()).containsExactlyInAnyOrder(
        "refs/cortex/checkpoints/align-001/session-start",
        "refs/cortex/checkpoints/align-001/discovery-1",
        "refs/cortex/checkpoints/align-001/validation-1");
  }

  // --- completing phases ---

  @Test
  void completingAPhaseThatIsNotActiveFailsNamingTheActivePhaseAndChangesNothing() {
    // given
    cortex.startSession(Workflow.TDD, "wrong-phase-001", repo.dir());
    ProcessInstance instance = instanceOf("wrong-phase-001");
    List<Checkpoint> before = cortex.checkpoints("wrong-phase-001");
    List<String> refsBefore = cortexRefs();

    // when / then
    assertThatThrownBy(() -> cortex.completePhase("wrong-phase-001", "GREEN", Map.of("x", 1)))
        .isInstanceOf(CortexException.class)
        .hasMessageContaining("GREEN")
        .hasMessageContaining("not active")
        .hasMessageContaining("wrong-phase-001")
        .hasMessageContaining("active: RED");
    assertThatThrownBy(() -> cortex.completePhase("wrong-phase-001", "NoSuchPhase", Map.of()))
        .isInstanceOf(CortexException.class)
        .hasMessageContaining("NoSuchPhase")
        .hasMessageContaining("active: RED");

    // then
    assertThat(instance).isWaitingAt("Task_CompleteRed");
    assertThat(cortex.checkpoints("wrong-phase-001")).isEqualTo(before);
    assertThat(cortexRefs()).isEqualTo(refsBefore);
    assertThat(instance).variables().doesNotContainKey(CortexVariables.METRICS);
  }

  @Test
  void completingAPhaseOfAnEndedSessionFailsSayingItHasEnded() {
    // given
    cortex.startSession(Workflow.SYSTEM_ALIGNMENT, "ended-001", repo.dir());
    cortex.completePhase("ended-001", "Discovery", Map.of());
    cortex.completePhase("ended-001", "Validation", Map.of());

    // when / then
    assertThatThrownBy(() -> cortex.completePhase("ended-001", "Validation", Map.of()))
        .isInstanceOf(CortexException.class)
        .hasMessageContaining("ended-001")
        .hasMessageContaining("no running process instance");
    assertThat(cortex.checkpoints("ended-001")).hasSize(3);
  }

  @Test
  void phaseNamesAreMatchedCaseInsensitivelyAndCheckpointsUseTheModelledName() {
    // given
    cortex.startSession(Workflow.TDD, "case-001", repo.dir());
    ProcessInstance instance = instanceOf("case-001");

    // when
    cortex.completePhase("case-001", "red", Map.of());
    cortex.completePhase("case-001", "Green", Map.of());
    cortex.completePhase("case-001", "rEfAcToR", Map.of());

    // then
    assertThat(instance).isEnded();
    List<Checkpoint> checkpoints = cortex.checkpoints("case-001");
    assertThat(checkpoints).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "red-1", "green-1", "refactor-1");
    assertThat(checkpoints).extracting(Checkpoint::phase).containsExactly(null, "RED", "GREEN", "REFACTOR");
  }

  @Test
  void metricsLandInTheCheckpointAndTheMetricsVariableIsGoneAfterwards() {
    // given
    cortex.startSession(Workflow.TDD, "metrics-001", repo.dir());
    ProcessInstance instance = instanceOf("metrics-001");

    // when
    cortex.completePhase("metrics-001", "RED", Map.of("failing_tests", 3, "note", "login fails", "coverage", 41.5,
        "flaky", false));

    // then
    Checkpoint red = cortex.checkpoint("metrics-001", "red-1");
    assertThat(red.metrics()).containsEntry("failing_tests", 3).containsEntry("note", "login fails")
        .containsEntry("coverage", 41.5).containsEntry("flaky", false).hasSize(4);
    assertThat(cortex.checkpoint("metrics-001", "session-start").metrics()).isEmpty();
    assertThat(instance).isWaitingAt("Task_CompleteGreen");
    assertThat(instance).variables().doesNotContainKey(CortexVariables.METRICS);
    assertThat(cortex.engine().getRuntimeService().getVariable(instance.getId(), CortexVariables.METRICS)).isNull();

    // when: the next phase reports no metrics, it does not inherit RED's
    cortex.completePhase("metrics-001", "GREEN", Map.of());

    // then
    assertThat(cortex.checkpoint("metrics-001", "green-1").metrics()).isEmpty();
    assertThat(instance).variables().doesNotContainKey(CortexVariables.METRICS);
  }

  // --- repositories without commits ---

  @Test
  void sessionOnARepositoryWithoutCommitsSnapshotsTheUntrackedFilesInParentlessCommits() {
    // given
    TempRepo empty = TempRepo.init(temp);
    empty.write("README.md", "# new project\n").write("src/Main.java", "class Main {}\n");
    String before = empty.userVisibleState();

    // when
    cortex.startSession(Workflow.TDD, "empty-001", empty.dir());
    cortex.completePhase("empty-001", "RED", Map.of());

    // then
    List<Checkpoint> checkpoints = cortex.checkpoints("empty-001");
    assertThat(checkpoints).extracting(Checkpoint::checkpointId).containsExactly("session-start", "red-1");
    assertThat(checkpoints).allSatisfy(c -> {
      assertThat(c.baseCommit()).as("baseCommit of %s", c.checkpointId()).isNull();
      // no commit of the user's is a parent: the only one is the snapshot's own state commit (format 2)
      List<String> parents = empty.git("cat-file", "-p", c.snapshotCommit()).lines()
          .filter(line -> line.startsWith("parent ")).map(line -> line.substring("parent ".length())).toList();
      assertThat(parents).as("parents of snapshot commit of %s", c.checkpointId()).hasSize(1);
      assertThat(empty.git("log", "-1", "--format=%s", parents.get(0)).trim()).startsWith("cortex snapshot state");
      assertThat(empty.git("ls-tree", "-r", "--name-only", c.snapshotCommit()).lines().toList())
          .containsExactlyInAnyOrder("README.md", "src/Main.java");
      assertThat(empty.git("rev-parse", "refs/cortex/checkpoints/empty-001/" + c.checkpointId()).trim())
          .isEqualTo(c.snapshotCommit());
    });
    assertThat(empty.git("show", checkpoints.get(0).snapshotCommit() + ":src/Main.java")).isEqualTo("class Main {}\n");
    assertThat(empty.userVisibleState()).as("the user's repository is untouched").isEqualTo(before);
    assertThat(empty.git("for-each-ref", "refs/heads")).as("still no branch commits").isEmpty();
  }

  // --- helpers ---

  private ProcessInstance instanceOf(String sessionId) {
    return cortex.engine().getRuntimeService().createProcessInstanceQuery()
        .processInstanceBusinessKey(sessionId).singleResult();
  }

  private static Checkpoint checkpoint(List<Checkpoint> checkpoints, String id) {
    return checkpoints.stream().filter(c -> c.checkpointId().equals(id)).findFirst().orElseThrow();
  }

  private List<String> cortexRefs() {
    return repo.git("for-each-ref", "--format=%(refname)", "refs/cortex/").lines().toList();
  }
}
