package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A phase end whose transaction rolls back (here: a service task after the phase fails in the
 * same transaction) and is then retried must end up with exactly one checkpoint for that phase.
 */
class IdempotentPhaseEndTest {

  /** Throws on its first call and succeeds afterwards: a flaky step right after the phase. */
  public static class FailsOnceDelegate implements JavaDelegate {

    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public void execute(DelegateExecution execution) {
      if (CALLS.incrementAndGet() == 1) {
        throw new IllegalStateException("flaky step after the phase failed on purpose");
      }
    }
  }

  @TempDir
  Path temp;

  private Cortex cortex;
  private ProcessEngine engine;
  private TempRepo repo;

  @BeforeEach
  void setUp() {
    FailsOnceDelegate.CALLS.set(0);
    cortex = TestEngines.cortex();
    engine = cortex.engine();
    BpmnAwareTests.init(engine);
    repo = TempRepo.init(temp);
    repo.write("src/App.java", "class App {}\n").commitAll("initial");
  }

  @AfterEach
  void tearDown() {
    BpmnAwareTests.reset();
    engine.close();
  }

  // --- a phase end retried after its transaction rolled back ---

  @Test
  void retriedUserTaskPhaseEndAfterARollbackEndsWithExactlyOneCheckpointWhoseRefPointsAtIt() {
    // given: Build (a user task phase) -> flaky service task -> Next, one transaction from Build to Next
    String session = startFlakySession(userTaskPhaseModel(), "retry-001");
    ProcessInstance instance = instanceOf(session);

    // when
    Throwable failure = completeBuild(session, 1);
    assertFirstAttemptFailedAndTheEngineRolledBack(failure, instance);
    completeBuild(session, 2);

    // then
    assertExactlyOneBuildCheckpointWithItsRef(session, instance);
  }

  @Test
  void retriedSubprocessPhaseEndAfterARollbackEndsWithExactlyOneCheckpointWhoseRefPointsAtIt() {
    // given: the shipped workflows' shape, a subprocess phase around a user task
    String session = startFlakySession(subprocessPhaseModel(), "retry-002");
    ProcessInstance instance = instanceOf(session);

    // when
    Throwable failure = completeBuild(session, 1);
    assertFirstAttemptFailedAndTheEngineRolledBack(failure, instance);
    completeBuild(session, 2);

    // then
    assertExactlyOneBuildCheckpointWithItsRef(session, instance);
  }

  /*
   * Regression test for a fixed bug (CortexSqlSession now rolls Cortex rows back with the engine): catalogue rows written in an engine command that rolls
   * back are committed anyway. Catalogue runs plain JDBC on the MyBatis session's connection;
   * on rollback Camunda calls SqlSession.rollback(), which MyBatis skips because the session is
   * not "dirty" (no MyBatis statement ran yet - the engine flushes only at commit), and then
   * JdbcTransaction.close() -> resetAutoCommit() -> Connection.setAutoCommit(true) COMMITS the
   * pending INSERT. See catalogueWritesOfARolledBackEngineCommandAreRolledBack for the minimal case.
   */
  @Test
  void rolledBackPhaseEndLeavesNoCatalogueRow() {
    // given
    String session = startFlakySession(userTaskPhaseModel(), "retry-003");
    ProcessInstance instance = instanceOf(session);

    // when
    Throwable failure = completeBuild(session, 1);

    // then
    assertFirstAttemptFailedAndTheEngineRolledBack(failure, instance);
    assertThat(cortex.checkpoints(session)).extracting(Checkpoint::checkpointId)
        .as("regression: the row of the rolled-back phase end was committed").containsExactly("session-start");
  }

  /*
   * Regression test (bug fixed by CortexSqlSession), a consequence of the one above: the rolled-back attempt's
   * row survives with the phase's activity instance id, so the retry's Checkpointer.take finds it
   * and returns it - build-1 keeps the FAILED attempt's snapshot and metrics, not the retried one's.
   */
  @Test
  void retriedPhaseEndRecordsTheSnapshotAndMetricsOfTheAttemptThatCommitted() {
    // given
    String session = startFlakySession(userTaskPhaseModel(), "retry-004");
    repo.write("src/App.java", "class App { int attempt1; }\n");
    completeBuild(session, 1);

    // when
    repo.write("src/App.java", "class App { int attempt2; }\n");
    completeBuild(session, 2);

    // then
    Checkpoint build = cortex.checkpoint(session, "build-1");
    assertThat(build.metrics()).as("regression: metrics of the rolled-back attempt").containsEntry("attempt", 2);
    assertThat(repo.git("show", build.snapshotCommit() + ":src/App.java"))
        .as("regression: snapshot of the rolled-back attempt").contains("attempt2");
  }

  /* Regression test for a fixed bug (CortexSqlSession now rolls Cortex rows back with the engine): the root cause of the two tests above, without any BPMN. */
  @Test
  void catalogueWritesOfARolledBackEngineCommandAreRolledBack() {
    // given
    String session = startDesignerSession("rollback-001");
    Checkpointer checkpointer = plugin().checkpointer();
    CheckpointRequest request = new CheckpointRequest(session, CheckpointType.PHASE_END, null, "Build",
        cortex.session(session).processInstanceId(), "Task_Build:rolled-back", Map.of());

    // when
    Throwable failure = catchThrowable(() -> inTransaction(ctx -> {
      checkpointer.take(EngineTransaction.catalogue(ctx), request);
      throw new IllegalStateException("the engine command fails after the checkpoint");
    }));

    // then
    assertThat(failure).hasMessageContaining("the engine command fails after the checkpoint");
    assertThat(cortex.checkpoints(session)).extracting(Checkpoint::checkpointId)
        .as("regression: the catalogue row outlived the rollback").containsExactly("session-start");
  }

  private String startFlakySession(BpmnModelInstance model, String session) {
    deploy(model);
    String processKey = model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class)
        .iterator().next().getId();
    cortex.startSession(processKey, session, repo.dir(), Map.of());
    return session;
  }

  private static BpmnModelInstance userTaskPhaseModel() {
    BpmnModelInstance model = Bpmn.createExecutableProcess("flaky-user-task").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .userTask("Task_Build")
        .serviceTask("Task_Flaky").camundaClass(FailsOnceDelegate.class.getName())
        .userTask("Task_Next")
        .endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", "Build");
    return model;
  }

  private static BpmnModelInstance subprocessPhaseModel() {
    BpmnModelInstance model = Bpmn.createExecutableProcess("flaky-subprocess").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .subProcess("SubProcess_Build").embeddedSubProcess()
          .startEvent("Build_Start").userTask("Task_Build").endEvent("Build_End")
        .subProcessDone()
        .serviceTask("Task_Flaky").camundaClass(FailsOnceDelegate.class.getName())
        .userTask("Task_Next")
        .endEvent("End").done();
    withProperty(model, "SubProcess_Build", "cortex.phase", "Build");
    return model;
  }

  /** Completes the Build phase with metrics {attempt: n}; returns the failure, or null. */
  private Throwable completeBuild(String session, int attempt) {
    return catchThrowable(() -> cortex.completePhase(session, "Build", Map.of("attempt", attempt)));
  }

  private void assertFirstAttemptFailedAndTheEngineRolledBack(Throwable failure, ProcessInstance instance) {
    assertThat(failure).as("the first completion fails").isNotNull();
    assertThat(messages(failure)).contains("flaky step after the phase failed on purpose");
    assertThat(FailsOnceDelegate.CALLS).hasValue(1);
    assertThat(instance).isWaitingAt("Task_Build");
  }

  private void assertExactlyOneBuildCheckpointWithItsRef(String session, ProcessInstance instance) {
    assertThat(FailsOnceDelegate.CALLS).hasValue(2);
    assertThat(instance).isWaitingAt("Task_Next");
    List<Checkpoint> checkpoints = cortex.checkpoints(session);
    assertThat(checkpoints).extracting(Checkpoint::checkpointId).containsExactly("session-start", "build-1");
    Checkpoint build = checkpoints.get(1);
    assertThat(build.type()).isEqualTo(CheckpointType.PHASE_END);
    assertThat(build.sequence()).isEqualTo(2);
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + session + "/build-1").trim())
        .isEqualTo(build.snapshotCommit());
    assertThat(cortexRefs()).containsExactlyInAnyOrder(
        "refs/cortex/checkpoints/" + session + "/session-start", "refs/cortex/checkpoints/" + session + "/build-1");
  }

  // --- Checkpointer.take directly ---

  @Test
  void checkpointerCalledTwiceForTheSameActivityInstanceReturnsTheFirstCheckpointAndWritesOneRow() {
    // given
    String session = startDesignerSession("direct-001");
    Checkpointer checkpointer = plugin().checkpointer();
    String processInstanceId = cortex.session(session).processInstanceId();
    CheckpointRequest request = new CheckpointRequest(session, CheckpointType.PHASE_END, null, "Build",
        processInstanceId, "Task_Build:activity-instance-1", Map.of("tests", "green"));

    // when: two separate transactions, as an engine retry would do
    Checkpoint first = inTransaction(ctx -> checkpointer.take(EngineTransaction.catalogue(ctx), request));
    repo.write("src/App.java", "class App { int changedInBetween; }\n");
    Checkpoint second = inTransaction(ctx -> checkpointer.take(EngineTransaction.catalogue(ctx), request));

    // then
    assertThat(second).isEqualTo(first);
    assertThat(first.checkpointId()).isEqualTo("build-1");
    assertThat(cortex.checkpoints(session)).extracting(Checkpoint::checkpointId).containsExactly("session-start", "build-1");
    assertThat(cortex.checkpoint(session, "build-1")).isEqualTo(first);
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/" + session + "/build-1").trim())
        .isEqualTo(first.snapshotCommit());
    assertThat(repo.git("show", first.snapshotCommit() + ":src/App.java")).doesNotContain("changedInBetween");
  }

  @Test
  void checkpointerCalledTwiceForTheSameActivityInstanceInOneTransactionWritesOneRow() {
    // given
    String session = startDesignerSession("direct-002");
    Checkpointer checkpointer = plugin().checkpointer();
    CheckpointRequest request = new CheckpointRequest(session, CheckpointType.PHASE_END, null, "Build",
        cortex.session(session).processInstanceId(), "Task_Build:activity-instance-2", Map.of());

    // when
    List<Checkpoint> both = inTransaction(ctx -> List.of(
        checkpointer.take(EngineTransaction.catalogue(ctx), request),
        checkpointer.take(EngineTransaction.catalogue(ctx), request)));

    // then
    assertThat(both.get(1)).isEqualTo(both.get(0));
    assertThat(cortex.checkpoints(session)).extracting(Checkpoint::checkpointId).containsExactly("session-start", "build-1");
  }

  @Test
  void checkpointerTakesANewCheckpointForAnotherActivityInstanceOfTheSamePhase() {
    // given
    String session = startDesignerSession("direct-003");
    Checkpointer checkpointer = plugin().checkpointer();
    String processInstanceId = cortex.session(session).processInstanceId();

    // when
    Checkpoint first = inTransaction(ctx -> checkpointer.take(EngineTransaction.catalogue(ctx),
        new CheckpointRequest(session, CheckpointType.PHASE_END, null, "Build", processInstanceId, "Task_Build:a", Map.of())));
    Checkpoint second = inTransaction(ctx -> checkpointer.take(EngineTransaction.catalogue(ctx),
        new CheckpointRequest(session, CheckpointType.PHASE_END, null, "Build", processInstanceId, "Task_Build:b", Map.of())));

    // then
    assertThat(first.checkpointId()).isEqualTo("build-1");
    assertThat(second.checkpointId()).isEqualTo("build-2");
    assertThat(cortex.checkpoints(session)).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "build-1", "build-2");
  }

  // --- helpers ---

  private String startDesignerSession(String session) {
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-build").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", "Build");
    deploy(model);
    cortex.startSession("designer-build", session, repo.dir(), Map.of());
    return session;
  }

  private CortexServices plugin() {
    return CortexProcessEnginePlugin.of(configuration()).orElseThrow().services();
  }

  private <T> T inTransaction(java.util.function.Function<CommandContext, T> work) {
    return configuration().getCommandExecutorTxRequired().execute((CommandContext ctx) -> work.apply(ctx));
  }

  private ProcessEngineConfigurationImpl configuration() {
    return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
  }

  private void deploy(BpmnModelInstance model) {
    engine.getRepositoryService().createDeployment().addModelInstance("test.bpmn", model).deploy();
  }

  private ProcessInstance instanceOf(String sessionId) {
    return engine.getRuntimeService().createProcessInstanceQuery().processInstanceBusinessKey(sessionId).singleResult();
  }

  private List<String> cortexRefs() {
    return repo.git("for-each-ref", "--format=%(refname)", "refs/cortex/").lines().toList();
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** Adds {@code <camunda:property name value>} to the element's extension elements. */
  private static void withProperty(BpmnModelInstance model, String elementId, String name, String value) {
    BaseElement element = model.getModelElementById(elementId);
    ExtensionElements extensions = element.getExtensionElements();
    if (extensions == null) {
      extensions = model.newInstance(ExtensionElements.class);
      element.setExtensionElements(extensions);
    }
    CamundaProperties properties = model.newInstance(CamundaProperties.class);
    extensions.addChildElement(properties);
    CamundaProperty property = model.newInstance(CamundaProperty.class);
    property.setCamundaName(name);
    property.setCamundaValue(value);
    properties.addChildElement(property);
  }
}
