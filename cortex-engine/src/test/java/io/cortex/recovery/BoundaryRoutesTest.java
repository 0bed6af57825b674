package io.cortex.recovery;

import static io.cortex.recovery.RecoveryFixtures.historicVariable;
import static io.cortex.recovery.RecoveryFixtures.instanceOf;
import static io.cortex.recovery.RecoveryFixtures.onlyRecoveryOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.config.GateConfig;
import io.cortex.config.GateExpectation;
import io.cortex.config.GatesConfig;
import io.cortex.config.ProgressiveOrder;
import io.cortex.config.RecoveryConfig;
import io.cortex.config.RecoveryStrategy;
import io.cortex.config.RetryConfig;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error boundary of every phase of the three shipped workflows: a failure goes through
 * {@code Event_<X>Failed} into {@code CallActivity_Recover<X>}; {@code Gateway_<X>Recovered}
 * either re-enters the phase (recovered) or ends the session at {@code EndEvent_<X>Aborted}.
 *
 * <p>Two engines: one recovers (IMMEDIATE, the GREEN gate {@code cat ok}); one cannot
 * (PHASE_FAILED goes to PROGRESSIVE, there are no gates, one attempt), so the operator decides.
 */
class BoundaryRoutesTest {

  @TempDir
  static Path temp;

  private static Cortex recovering;
  private static Cortex failing;

  @BeforeAll
  static void startEngines() {
    GatesConfig greenGate = new GatesConfig(GatesConfig.DEFAULT_TIMEOUT_MS, GatesConfig.DEFAULT_OUTPUT_LIMIT_BYTES,
        Map.of("cortex-tdd", Map.of("GREEN", new GateConfig("cat ok", GateExpectation.PASS, 10_000))));
    recovering = TestEngines.cortex(RecoveryFixtures.config(RecoveryConfig.defaults(), greenGate));
    RecoveryConfig hopeless = new RecoveryConfig(RecoveryStrategy.IMMEDIATE, Map.of(),
        Map.of("PHASE_FAILED", RecoveryStrategy.PROGRESSIVE), ProgressiveOrder.NEWEST_FIRST, new RetryConfig(1, 0, 1.0));
    failing = TestEngines.cortex(RecoveryFixtures.config(hopeless, GatesConfig.defaults()));
  }

  @AfterAll
  static void stopEngines() {
    recovering.engine().close();
    failing.engine().close();
  }

  @AfterEach
  void resetAssertions() {
    BpmnAwareTests.reset();
  }

  /** Workflow, phase name, the phase's part of the element ids. */
  static Stream<Arguments> phases() {
    return Stream.of(
        arguments(Workflow.PLANNING, "DoR", "Dor"),
        arguments(Workflow.PLANNING, "Implementation", "Implementation"),
        arguments(Workflow.PLANNING, "DoD", "Dod"),
        arguments(Workflow.TDD, "RED", "Red"),
        arguments(Workflow.TDD, "GREEN", "Green"),
        arguments(Workflow.TDD, "REFACTOR", "Refactor"),
        arguments(Workflow.SYSTEM_ALIGNMENT, "Discovery", "Discovery"),
        arguments(Workflow.SYSTEM_ALIGNMENT, "Validation", "Validation"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("phases")
  void aFailedPhaseIsRecoveredThroughItsBoundaryAndTheSessionWaitsInThePhaseAgain(Workflow workflow, String phase,
                                                                                   String id) {
    // given: the session has reached the phase
    BpmnAwareTests.init(recovering.engine());
    String session = "recovered-" + workflow.cliName() + "-" + phase.toLowerCase(Locale.ROOT);
    TempRepo repo = newRepo();
    ProcessInstance parent = advanceTo(recovering, workflow, phase, session, repo);
    assertThat(parent).isWaitingAt("Task_Complete" + id);

    // when
    recovering.failPhase(session, phase, "PHASE_FAILED", phase + " went wrong");

    // then
    assertThat(parent).isWaitingAt("Task_Complete" + id)
        .hasPassed("Event_" + id + "Failed", "CallActivity_Recover" + id, "Gateway_" + id + "Recovered")
        .hasNotPassed("EndEvent_" + id + "Aborted");
    assertThat(parent).variables().containsEntry("recoveryOutcome", "RECOVERED");
    ProcessInstance recovery = onlyRecoveryOf(recovering.engine(), parent);
    assertThat(recovery).isEnded().hasPassed("Task_Immediate", "Task_RecoveryPoint", "EndEvent_Recovered");
    assertThat(historicVariable(recovering.engine(), recovery.getId(), "cortexFailedPhase")).isEqualTo(phase);
    assertThat(historicVariable(recovering.engine(), recovery.getId(), "cortexFailedProcess"))
        .isEqualTo(workflow.processKey());
    assertThat(RecoveryFixtures.ofType(recovering.checkpoints(session), CheckpointType.RECOVERY_POINT))
        .singleElement().satisfies(point -> {
          assertThat(point.phase()).isEqualTo(phase);
          assertThat(point.metrics()).containsEntry("failed_phase", phase).containsEntry("error_code", "PHASE_FAILED");
        });
    assertThat(recovering.status(session).activePhases()).containsExactly(phase);

    // when: the phase is done after all
    recovering.completePhase(session, phase, Map.of());

    // then: it ends normally and takes its checkpoint
    assertThat(parent).hasPassed("EndEvent_" + id);
    assertThat(recovering.checkpoints(session)).extracting(Checkpoint::checkpointId)
        .contains(phase.toLowerCase(Locale.ROOT) + "-1");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("phases")
  void aFailedPhaseWhoseRecoveryTheOperatorAbortsEndsTheSessionAtThePhasesAbortedEnd(Workflow workflow, String phase,
                                                                                      String id) {
    // given: the session has reached the phase; its recovery cannot succeed (PROGRESSIVE without a gate)
    ProcessEngine engine = failing.engine();
    BpmnAwareTests.init(engine);
    String session = "aborted-" + workflow.cliName() + "-" + phase.toLowerCase(Locale.ROOT);
    TempRepo repo = newRepo();
    ProcessInstance parent = advanceTo(failing, workflow, phase, session, repo);
    failing.failPhase(session, phase, "PHASE_FAILED", phase + " went wrong");
    ProcessInstance recovery = engine.getRuntimeService().createProcessInstanceQuery()
        .superProcessInstanceId(parent.getId()).singleResult();
    assertThat(recovery).isWaitingAt("Task_OperatorDecision").hasPassed("SubProcess_Progressive")
        .hasNotPassed("Event_Backoff");
    assertThat(recovery).variables().containsEntry("strategy", "PROGRESSIVE").containsEntry("maxAttempts", 1);

    // when
    complete(task(recovery), withVariables("decisionAbort", true));

    // then
    assertThat(recovery).isEnded().hasPassed("EndEvent_Aborted");
    assertThat(parent).isEnded()
        .hasPassed("Event_" + id + "Failed", "CallActivity_Recover" + id, "Gateway_" + id + "Recovered",
            "EndEvent_" + id + "Aborted")
        .hasNotPassed("EndEvent_SessionDone");
    assertThat(historicVariable(engine, parent.getId(), "recoveryOutcome")).isEqualTo("ABORTED");
    assertThat(failing.status(session).running()).isFalse();
  }

  @Test
  void aFailedGateRoutesTheSameWayWithGateFailedAndTheGateOutputAndTakesNoCheckpointForTheFailedAttempt() {
    // given: RED done; GREEN removes the file the gate reads
    ProcessEngine engine = recovering.engine();
    BpmnAwareTests.init(engine);
    String session = "gate-green-001";
    TempRepo repo = newRepo();
    ProcessInstance parent = advanceTo(recovering, Workflow.TDD, "GREEN", session, repo);
    repo.delete("ok").write("src/App.java", "class App { int half; }\n");

    // when: completing GREEN runs the gate 'cat ok', which fails
    recovering.completePhase(session, "GREEN", Map.of("tests", 12));

    // then: the boundary caught GATE_FAILED with the gate's output, and recovery brought GREEN back
    assertThat(parent).isWaitingAt("Task_CompleteGreen")
        .hasPassed("Task_VerifyGreen", "Event_GreenFailed", "CallActivity_RecoverGreen", "Gateway_GreenRecovered")
        .hasNotPassed("EndEvent_Green", "EndEvent_GreenAborted");
    assertThat(parent).variables().containsEntry("cortexErrorCode", "GATE_FAILED")
        .containsEntry("recoveryOutcome", "RECOVERED");
    assertThat((String) engine.getRuntimeService().getVariable(parent.getId(), "cortexErrorMessage"))
        .contains("GREEN").contains("'cat ok'").contains("exited with 1").contains("No such file or directory");
    ProcessInstance recovery = onlyRecoveryOf(engine, parent);
    assertThat(historicVariable(engine, recovery.getId(), "cortexErrorCode")).isEqualTo("GATE_FAILED");
    assertThat((String) historicVariable(engine, recovery.getId(), "cortexErrorMessage"))
        .contains("No such file or directory");

    List<Checkpoint> afterFailure = recovering.checkpoints(session);
    assertThat(afterFailure).extracting(Checkpoint::checkpointId)
        .as("no PHASE_END for the failed attempt").containsExactly("session-start", "red-1", "pre-rollback-1", "recovery-1");
    assertThat(RecoveryFixtures.checkpoint(afterFailure, "recovery-1").metrics())
        .containsEntry("error_code", "GATE_FAILED").containsEntry("restored", "red-1");

    // when: after the recovery (ok is back), GREEN is completed with the gate passing
    recovering.completePhase(session, "GREEN", Map.of("tests", 13));

    // then
    assertThat(parent).isWaitingAt("Task_CompleteRefactor").hasPassed("EndEvent_Green");
    Checkpoint green = recovering.checkpoint(session, "green-1");
    assertThat(green.type()).isEqualTo(CheckpointType.PHASE_END);
    assertThat(green.metrics()).containsEntry("tests", 13).containsEntry("gate_passed", true)
        .containsEntry("gate_command", "cat ok").containsEntry("gate_exit_code", 0).containsEntry("gate_expect", "PASS");
  }

  // --- helpers ---

  /** Starts a session and completes the phases before {@code phase}. */
  private static ProcessInstance advanceTo(Cortex cortex, Workflow workflow, String phase, String session,
                                           TempRepo repo) {
    cortex.startSession(workflow, session, repo.dir());
    ProcessInstance parent = instanceOf(cortex, session);
    for (String earlier : workflow.phases().subList(0, workflow.phases().indexOf(phase))) {
      cortex.completePhase(session, earlier, Map.of());
    }
    return parent;
  }

  private static TempRepo newRepo() {
    TempRepo repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").write("ok", "fine\n").commitAll("initial");
    return repo;
  }
}
