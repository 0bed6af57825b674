package io.cortex.recovery;

import static io.cortex.recovery.RecoveryFixtures.checkpoint;
import static io.cortex.recovery.RecoveryFixtures.historicVariable;
import static io.cortex.recovery.RecoveryFixtures.instanceOf;
import static io.cortex.recovery.RecoveryFixtures.onlyRecoveryOf;
import static io.cortex.recovery.RecoveryFixtures.recoveryDetails;
import static io.cortex.recovery.RecoveryFixtures.timesPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

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
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import io.cortex.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path through {@code processes/recovery.bpmn}, driven through the real TDD workflow on a
 * real engine and real git repositories. The TDD phases have the gate {@code test -f ok}, so a
 * state passes its gate exactly when the file {@code ok} is there; retries are 2 attempts without
 * delay, so the backoff timer is {@code PT0S} and due at once.
 */
class RecoveryProcessPathsTest {

  @TempDir
  static Path temp;

  private static Cortex cortex;
  private static ProcessEngine engine;

  @BeforeAll
  static void startEngine() {
    GateConfig okExists = new GateConfig("test -f ok", GateExpectation.PASS, 10_000);
    GatesConfig gates = new GatesConfig(GatesConfig.DEFAULT_TIMEOUT_MS, GatesConfig.DEFAULT_OUTPUT_LIMIT_BYTES,
        Map.of("cortex-tdd", Map.of("RED", okExists, "GREEN", okExists, "REFACTOR", okExists)));
    RecoveryConfig recovery = new RecoveryConfig(RecoveryStrategy.IMMEDIATE, Map.of(), Map.of(),
        ProgressiveOrder.NEWEST_FIRST, new RetryConfig(2, 0, 2.0));
    cortex = TestEngines.cortex(RecoveryFixtures.config(recovery, gates));
    engine = cortex.engine();
    BpmnAwareTests.init(engine);
  }

  @AfterAll
  static void stopEngine() {
    BpmnAwareTests.reset();
    engine.close();
  }

  // --- (a) IMMEDIATE ---

  @Test
  void immediateRecoveryRollsBackToTheLastGoodCheckpointRecordsARecoveryPointAndReturnsToThePhase() {
    // given: RED done with the gate passing, then GREEN breaks things
    TempRepo repo = newRepo();
    String session = "paths-immediate-001";
    cortex.startSession(Workflow.TDD, session, repo.dir());
    ProcessInstance parent = instanceOf(cortex, session);
    repo.write("ok", "");
    cortex.completePhase(session, "RED", Map.of());
    Map<String, String> atRed = DiskState.workingTree(repo.dir());
    repo.write("src/App.java", "class App { broken }\n").write("src/Scratch.java", "scratch\n");

    // when
    cortex.failPhase(session, "GREEN", "PHASE_FAILED", "broken");

    // then: the recovery went the IMMEDIATE way and ended recovered
    ProcessInstance recovery = onlyRecoveryOf(engine, parent);
    assertThat(recovery).isEnded()
        .hasPassedInOrder("StartEvent_RecoveryStarted", "Task_ChooseStrategy", "Task_Immediate",
            "Task_RecoveryPoint", "EndEvent_Recovered")
        .hasPassed("Gateway_Strategy", "SubProcess_Immediate", "StartEvent_Immediate", "EndEvent_Immediate",
            "Gateway_StrategyDone", "Gateway_Recovered")
        .hasNotPassed("SubProcess_Progressive", "SubProcess_Decompose", "Gateway_AttemptsLeft", "Event_Backoff",
            "Task_OperatorDecision", "Task_OperatorRollback", "EndEvent_Aborted");
    assertThat(recovery.getBusinessKey()).as("business key of the recovery").isEqualTo(session);
    assertThat(historicVariable(engine, recovery.getId(), "strategy")).isEqualTo("IMMEDIATE");
    assertThat(historicVariable(engine, recovery.getId(), "recoveryAttempt")).isEqualTo(1);
    assertThat(historicVariable(engine, recovery.getId(), "recovered")).isEqualTo(true);
    assertThat(historicVariable(engine, recovery.getId(), "cortexFailedPhase")).isEqualTo("GREEN");
    assertThat(historicVariable(engine, recovery.getId(), "cortexFailedProcess")).isEqualTo("cortex-tdd");
    assertThat(historicVariable(engine, recovery.getId(), "cortexErrorCode")).isEqualTo("PHASE_FAILED");
    assertThat(historicVariable(engine, recovery.getId(), "cortexErrorMessage")).isEqualTo("broken");

    // then: the parent is back in GREEN
    assertThat(parent).isWaitingAt("Task_CompleteGreen")
        .hasPassed("Event_GreenFailed", "CallActivity_RecoverGreen", "Gateway_GreenRecovered")
        .hasNotPassed("EndEvent_GreenAborted");
    assertThat(parent).variables().containsEntry("recoveryOutcome", "RECOVERED")
        .containsEntry("recoveredCheckpoint", "recovery-1");

    // then: the failed state is kept, the RED state restored, the recovery point recorded
    List<Checkpoint> checkpoints = cortex.checkpoints(session);
    assertThat(checkpoints).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "red-1", "pre-rollback-1", "recovery-1");
    Checkpoint point = checkpoint(checkpoints, "recovery-1");
    assertThat(point.type()).isEqualTo(CheckpointType.RECOVERY_POINT);
    assertThat(point.phase()).isEqualTo("GREEN");
    assertThat(point.metrics()).containsEntry("strategy", "IMMEDIATE").containsEntry("restored", "red-1")
        .containsEntry("error_code", "PHASE_FAILED").containsEntry("failed_phase", "GREEN").containsEntry("attempt", 1);
    assertThat(repo.git("show", checkpoint(checkpoints, "pre-rollback-1").snapshotCommit() + ":src/Scratch.java"))
        .isEqualTo("scratch\n");
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(atRed);
  }

  // --- (b) PROGRESSIVE ---

  @Test
  @SuppressWarnings("unchecked")
  void progressiveRecoveryChosenByTheParentsVariableRestoresTheNewestCheckpointThatPassesTheGate() {
    // given: RED done with ok there; GREEN removes ok and breaks App
    TempRepo repo = newRepo();
    String session = "paths-progressive-001";
    cortex.startSession(Workflow.TDD, session, repo.dir());
    ProcessInstance parent = instanceOf(cortex, session);
    repo.write("ok", "");
    cortex.completePhase(session, "RED", Map.of());
    Map<String, String> atRed = DiskState.workingTree(repo.dir());
    repo.delete("ok").write("src/App.java", "class App { broken }\n");
    engine.getRuntimeService().setVariable(parent.getId(), "recoveryStrategy", "PROGRESSIVE");

    // when
    cortex.failPhase(session, "GREEN", "PHASE_FAILED", "broken");

    // then
    ProcessInstance recovery = onlyRecoveryOf(engine, parent);
    assertThat(recovery).isEnded()
        .hasPassedInOrder("Task_ChooseStrategy", "Task_Progressive", "Task_RecoveryPoint", "EndEvent_Recovered")
        .hasPassed("SubProcess_Progressive", "Gateway_Recovered")
        .hasNotPassed("SubProcess_Immediate", "SubProcess_Decompose", "Event_Backoff", "Task_OperatorDecision");
    assertThat(historicVariable(engine, recovery.getId(), "strategy")).isEqualTo("PROGRESSIVE");
    Map<String, Object> details = recoveryDetails(engine, recovery.getId());
    assertThat(details).containsEntry("restored", "red-1").containsEntry("order", "NEWEST_FIRST");
    assertThat((List<Object>) details.get("tried")).containsExactly("red-1:pass");

    assertThat(parent).isWaitingAt("Task_CompleteGreen")
        .hasPassed("Event_GreenFailed", "CallActivity_RecoverGreen", "Gateway_GreenRecovered");
    List<Checkpoint> checkpoints = cortex.checkpoints(session);
    assertThat(RecoveryFixtures.ofType(checkpoints, CheckpointType.RECOVERY_POINT)).singleElement()
        .satisfies(p -> assertThat(p.metrics()).containsEntry("strategy", "PROGRESSIVE").containsEntry("restored", "red-1"));
    assertThat(DiskState.workingTree(repo.dir())).isEqualTo(atRed);
  }

  // --- (c) DECOMPOSE ---

  @Test
  @SuppressWarnings("unchecked")
  void decomposeRecoveryAfterAFailedGateKeepsTheFileChangesThatPassAndDropsTheOneThatBreaksTheGate() {
    // given: RED done; in GREEN a new file (fine) and ok deleted (breaks the gate)
    TempRepo repo = newRepo();
    String session = "paths-decompose-001";
    cortex.startSession(Workflow.TDD, session, repo.dir());
    ProcessInstance parent = instanceOf(cortex, session);
    repo.write("ok", "");
    cortex.completePhase(session, "RED", Map.of());
    repo.write("src/Feature.java", "class Feature {}\n").delete("ok");
    engine.getRuntimeService().setVariable(parent.getId(), "recoveryStrategy", "DECOMPOSE");

    // when: completing GREEN runs the gate, which fails
    cortex.completePhase(session, "GREEN", Map.of("note", "attempt"));

    // then
    ProcessInstance recovery = onlyRecoveryOf(engine, parent);
    assertThat(recovery).isEnded()
        .hasPassedInOrder("Task_ChooseStrategy", "Task_Decompose", "Task_RecoveryPoint", "EndEvent_Recovered")
        .hasPassed("SubProcess_Decompose")
        .hasNotPassed("SubProcess_Immediate", "SubProcess_Progressive", "Event_Backoff", "Task_OperatorDecision");
    assertThat(historicVariable(engine, recovery.getId(), "cortexErrorCode")).isEqualTo("GATE_FAILED");
    Map<String, Object> details = recoveryDetails(engine, recovery.getId());
    assertThat(details).containsEntry("base", "red-1");
    assertThat((List<Object>) details.get("kept")).containsExactly("src/Feature.java");
    assertThat((List<Object>) details.get("breaking")).containsExactly("ok");

    assertThat(parent).isWaitingAt("Task_CompleteGreen")
        .hasPassed("Task_VerifyGreen", "Event_GreenFailed", "CallActivity_RecoverGreen", "Gateway_GreenRecovered");
    assertThat(repo.read("src/Feature.java")).isEqualTo("class Feature {}\n");
    assertThat(Files.exists(repo.dir().resolve("ok"))).isTrue();
    List<Checkpoint> checkpoints = cortex.checkpoints(session);
    assertThat(checkpoints).extracting(Checkpoint::checkpointId).doesNotContain("green-1");
    assertThat(RecoveryFixtures.ofType(checkpoints, CheckpointType.RECOVERY_POINT)).singleElement()
        .satisfies(p -> assertThat(p.metrics()).containsEntry("strategy", "DECOMPOSE")
            .containsEntry("error_code", "GATE_FAILED").containsEntry("restored", "red-1"));
  }

  // --- (d) attempts exhausted ---

  @Test
  void failedAttemptsWaitForTheBackoffRetryAndThenAskAnOperatorWithTheDecisionForm() throws IOException {
    // given / when: PROGRESSIVE, but no checkpoint has ok, so both attempts fail
    Exhausted scenario = exhausted("paths-exhausted-001");

    // then: two attempts with the backoff timer in between, then the operator's task
    ProcessInstance recovery = scenario.recovery();
    assertThat(recovery).isWaitingAt("Task_OperatorDecision")
        .hasPassed("Gateway_AttemptsLeft", "Event_Backoff", "SubProcess_Progressive")
        .hasNotPassed("Task_RecoveryPoint", "EndEvent_Recovered", "EndEvent_Aborted");
    assertThat(timesPassed(engine, recovery.getId(), "Task_ChooseStrategy")).isEqualTo(2);
    assertThat(timesPassed(engine, recovery.getId(), "Task_Progressive")).isEqualTo(2);
    assertThat(timesPassed(engine, recovery.getId(), "Event_Backoff")).isEqualTo(1);
    assertThat(recovery).variables().containsEntry("strategy", "PROGRESSIVE").containsEntry("recoveryAttempt", 2)
        .containsEntry("maxAttempts", 2).containsEntry("retryDelay", "PT0S").containsEntry("recovered", false);
    assertThat((String) engine.getRuntimeService().getVariable(recovery.getId(), "recoveryDetails"))
        .contains("no checkpoint passes the gate");

    Task decision = task(recovery);
    assertThat(decision).hasDefinitionKey("Task_OperatorDecision").hasName("Decide recovery")
        .hasCandidateGroup("cortex-operators").isNotAssigned();
    Task withForm = engine.getTaskService().createTaskQuery().taskId(decision.getId()).initializeFormKeys().singleResult();
    assertThat(withForm.getCamundaFormRef()).isNotNull();
    assertThat(withForm.getCamundaFormRef().getKey()).isEqualTo("cortex-operator-decision");
    assertThat(withForm.getCamundaFormRef().getBinding()).isEqualTo("latest");
    try (InputStream form = engine.getFormService().getDeployedTaskForm(decision.getId())) {
      assertThat(new String(form.readAllBytes(), StandardCharsets.UTF_8))
          .contains("cortex-operator-decision").contains("decisionAbort").contains("decisionTarget");
    }

    assertThat(scenario.parent()).isWaitingAt("CallActivity_RecoverRed").hasPassed("Event_RedFailed");
    assertThat(cortex.checkpoints(scenario.session())).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "pre-rollback-1", "pre-rollback-2");
    assertThat(DiskState.workingTree(scenario.repo().dir())).as("the failed state is back for the operator")
        .isEqualTo(scenario.failedState());
  }

  // --- (e) operator aborts ---

  @Test
  void operatorAbortEndsTheRecoveryAbortedAndTheSessionAtThePhasesAbortedEnd() {
    // given
    Exhausted scenario = exhausted("paths-abort-001");

    // when
    complete(task(scenario.recovery()), withVariables("decisionAbort", true));
    cortex.driveJobs();

    // then
    assertThat(scenario.recovery()).isEnded()
        .hasPassed("Task_OperatorDecision", "Gateway_Decision", "EndEvent_Aborted")
        .hasNotPassed("Task_OperatorRollback", "Task_RecoveryPoint", "EndEvent_Recovered");
    assertThat(historicVariable(engine, scenario.recovery().getId(), "recoveryOutcome")).isEqualTo("ABORTED");
    assertThat(scenario.parent()).isEnded()
        .hasPassed("Event_RedFailed", "CallActivity_RecoverRed", "Gateway_RedRecovered", "EndEvent_RedAborted")
        .hasNotPassed("SubProcess_Green", "EndEvent_SessionDone");
    assertThat(historicVariable(engine, scenario.parent().getId(), "recoveryOutcome")).isEqualTo("ABORTED");
    assertThat(cortex.status(scenario.session()).running()).isFalse();
    assertThat(RecoveryFixtures.ofType(cortex.checkpoints(scenario.session()), CheckpointType.RECOVERY_POINT)).isEmpty();
    assertThat(DiskState.workingTree(scenario.repo().dir())).isEqualTo(scenario.failedState());
  }

  // --- (f) operator rolls back to a target ---

  @Test
  void operatorTargetWithForceRollsBackToTheChosenCheckpointRecordsARecoveryPointAndReturnsToThePhase() {
    // given
    Exhausted scenario = exhausted("paths-target-001");
    Checkpoint start = cortex.checkpoint(scenario.session(), "session-start");

    // when: what the form submits
    complete(task(scenario.recovery()), withVariables("decisionStrategy", "TARGET", "decisionTarget", "session-start",
        "decisionForce", true, "decisionAbort", false));
    cortex.driveJobs();

    // then
    assertThat(scenario.recovery()).isEnded()
        .hasPassedInOrder("Task_OperatorDecision", "Gateway_Decision", "Task_OperatorRollback", "Task_RecoveryPoint",
            "EndEvent_Recovered")
        .hasNotPassed("EndEvent_Aborted");
    assertThat(scenario.parent()).isWaitingAt("Task_CompleteRed")
        .hasPassed("Event_RedFailed", "CallActivity_RecoverRed", "Gateway_RedRecovered")
        .hasNotPassed("EndEvent_RedAborted");
    List<Checkpoint> checkpoints = cortex.checkpoints(scenario.session());
    Checkpoint point = RecoveryFixtures.ofType(checkpoints, CheckpointType.RECOVERY_POINT).get(0);
    assertThat(point.metrics()).containsEntry("restored", "session-start").containsEntry("failed_phase", "RED");
    assertThat(scenario.parent()).variables().containsEntry("recoveredCheckpoint", point.checkpointId());
    assertThat(DiskState.workingTree(scenario.repo().dir())).as("the repository equals session-start")
        .isEqualTo(scenario.atStart());
    assertThat(scenario.repo().git("rev-parse", "HEAD").trim()).isEqualTo(start.baseCommit());
  }

  // --- (g) operator target does not exist ---

  @Test
  void operatorTargetThatDoesNotExistFailsTheJobRetriesItAsConfiguredAndEndsAsAnIncidentNamingTheCheckpoint() {
    // given
    Exhausted scenario = exhausted("paths-no-target-001");
    Map<String, String> before = DiskState.workingTree(scenario.repo().dir());

    // when
    complete(task(scenario.recovery()), withVariables("decisionStrategy", "TARGET", "decisionTarget",
        "no-such-checkpoint", "decisionForce", true, "decisionAbort", false));
    cortex.driveJobs();

    // then: the job is out of retries (2 attempts), the instance waits with an incident
    ProcessInstance recovery = scenario.recovery();
    Job job = engine.getManagementService().createJobQuery().processInstanceId(recovery.getId()).singleResult();
    assertThat(job).isNotNull();
    assertThat(job.getRetries()).isZero();
    assertThat(job.getExceptionMessage()).contains("no-such-checkpoint");
    assertThat(engine.getHistoryService().createHistoricJobLogQuery().jobId(job.getId()).failureLog().count())
        .as("failed executions").isEqualTo(2);
    List<Incident> incidents = engine.getRuntimeService().createIncidentQuery().processInstanceId(recovery.getId()).list();
    assertThat(incidents).singleElement().satisfies(incident -> {
      assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
      assertThat(incident.getActivityId()).isEqualTo("Task_OperatorRollback");
      assertThat(incident.getIncidentMessage()).contains("no-such-checkpoint");
    });
    assertThat(recovery).isNotEnded().hasNotPassed("Task_RecoveryPoint");
    assertThat(scenario.parent()).isWaitingAt("CallActivity_RecoverRed");
    assertThat(DiskState.workingTree(scenario.repo().dir())).isEqualTo(before);
  }

  // --- helpers ---

  private record Exhausted(String session, TempRepo repo, ProcessInstance parent, ProcessInstance recovery,
                           Map<String, String> atStart, Map<String, String> failedState) {
  }

  /** A session whose RED failed and whose PROGRESSIVE recovery used up its attempts (no checkpoint has ok). */
  private Exhausted exhausted(String session) {
    TempRepo repo = newRepo();
    cortex.startSession(Workflow.TDD, session, repo.dir());
    Map<String, String> atStart = DiskState.workingTree(repo.dir());
    ProcessInstance parent = instanceOf(cortex, session);
    repo.write("src/App.java", "class App { broken }\n").write("notes.txt", "half done\n");
    Map<String, String> failedState = DiskState.workingTree(repo.dir());
    engine.getRuntimeService().setVariable(parent.getId(), "recoveryStrategy", "PROGRESSIVE");
    cortex.failPhase(session, "RED", "PHASE_FAILED", "broken");
    ProcessInstance recovery = engine.getRuntimeService().createProcessInstanceQuery()
        .superProcessInstanceId(parent.getId()).singleResult();
    assertThat(recovery).as("running recovery of %s", session).isNotNull();
    return new Exhausted(session, repo, parent, recovery, atStart, failedState);
  }

  private static TempRepo newRepo() {
    TempRepo repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").commitAll("initial");
    return repo;
  }
}
