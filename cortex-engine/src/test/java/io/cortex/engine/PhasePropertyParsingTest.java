package io.cortex.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.cortex.Cortex;
import io.cortex.base.PhaseProperty;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BpmnParseException;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the parse listener reads {@code cortex.phase} in BPMN a designer deploys: bad markers are
 * rejected at deployment naming the element, unmarked processes are left exactly as they were,
 * and a marked plain user task is a phase like the shipped subprocesses.
 */
class PhasePropertyParsingTest {

  @TempDir
  Path temp;

  private Cortex cortex;
  private ProcessEngine engine;

  @BeforeEach
  void setUp() {
    cortex = TestEngines.cortex();
    engine = cortex.engine();
    BpmnAwareTests.init(engine);
  }

  @AfterEach
  void tearDown() {
    BpmnAwareTests.reset();
    engine.close();
  }

  // --- rejected at deployment ---

  @Test
  void emptyPhaseValueIsRejectedNamingTheElementAndNothingIsDeployed() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-empty-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", "");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("Task_Build").hasMessageContaining("cortex.phase")
        .hasMessageContaining("empty");
  }

  @Test
  void blankPhaseValueOnASubprocessIsRejectedNamingTheSubprocess() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-blank-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .subProcess("SubProcess_Build").embeddedSubProcess()
          .startEvent("Sub_Start").userTask("Task_Inner").endEvent("Sub_End")
        .subProcessDone()
        .endEvent("End").done();
    withProperty(model, "SubProcess_Build", "cortex.phase", "   ");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("SubProcess_Build").hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GREEN PHASE", "../x", "red/green", "-red", "_red", "grün",
      "x123456789012345678901234567890123456789012345678901"})
  void invalidPhaseNameIsRejectedNamingTheElementAndTheName(String phase) {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-invalid-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", phase);

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("Task_Build").hasMessageContaining("invalid phase name")
        .hasMessageContaining("'" + phase + "'");
  }

  @Test
  void longestAllowedPhaseNameIsAccepted() {
    // given: exactly 50 characters, the limit of the naming rule
    String phase = "P" + "a".repeat(48) + "9";
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-long-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", phase);

    // when / then
    assertThatCode(() -> deploy(model)).doesNotThrowAnyException();
  }

  @Test
  void misspelledCortexPropertyIsRejectedNamingThePropertyAndTheElement() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-typo").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phse", "Build");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("Unknown Cortex property").hasMessageContaining("cortex.phse")
        .hasMessageContaining("Task_Build");
  }

  @Test
  void unknownCortexPropertyNextToAValidPhaseIsStillRejected() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-extra").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Task_Build", "cortex.phase", "Build");
    withProperty(model, "Task_Build", "cortex.retries", "3");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("cortex.retries").hasMessageContaining("Task_Build");
  }

  @Test
  void phaseOnAStartEventIsRejected() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-start-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start_Marked").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "Start_Marked", "cortex.phase", "Build");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("Start_Marked").hasMessageContaining("start event")
        .hasMessageContaining("not allowed");
  }

  @Test
  void phaseOnAnExclusiveGatewayIsRejected() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-gateway-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .exclusiveGateway("Gateway_Marked")
          .condition("yes", "${true}").userTask("Task_Build").endEvent("End_Yes")
        .moveToNode("Gateway_Marked")
          .condition("no", "${false}").endEvent("End_No")
        .done();
    withProperty(model, "Gateway_Marked", "cortex.phase", "Decide");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("Gateway_Marked").hasMessageContaining("gateway")
        .hasMessageContaining("not allowed");
  }

  @Test
  void phaseOnAnEndEventIsRejected() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-end-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End_Marked").done();
    withProperty(model, "End_Marked", "cortex.phase", "Done");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("End_Marked").hasMessageContaining("end event");
  }

  @Test
  void phaseOnTheProcessItselfIsRejected() {
    // given
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-process-phase").camundaHistoryTimeToLive(30)
        .startEvent("Start").userTask("Task_Build").endEvent("End").done();
    withProperty(model, "designer-process-phase", "cortex.phase", "Everything");

    // when
    Throwable failure = deployFailing(model);

    // then
    assertThat(failure).hasMessageContaining("designer-process-phase").hasMessageContaining("a process");
  }

  // --- processes without Cortex ---

  @Test
  void thirdPartyProcessWithoutCortexPropertiesRunsToTheEndWithoutBusinessKeyOrRepository() {
    // given: user task, service task with an expression, exclusive gateway, embedded subprocess,
    // and a camunda:property that is not Cortex's
    BpmnModelInstance model = Bpmn.createExecutableProcess("third-party").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .userTask("Task_Review")
        .serviceTask("Task_Compute").camundaExpression("${execution.setVariable('computed', 42)}")
        .exclusiveGateway("Gateway_Route")
          .condition("big", "${computed > 10}")
          .subProcess("SubProcess_Work").embeddedSubProcess()
            .startEvent("Sub_Start").userTask("Task_Inner").endEvent("Sub_End")
          .subProcessDone()
          .endEvent("End_Big")
        .moveToNode("Gateway_Route")
          .condition("small", "${computed <= 10}").endEvent("End_Small")
        .done();
    withProperty(model, "Task_Review", "owner", "team-a");
    withProperty(model, "SubProcess_Work", "cortexish", "not ours");
    deploy(model);

    // when
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("third-party");
    assertThat(instance).isWaitingAt("Task_Review");
    engine.getTaskService().complete(task(instance, "Task_Review").getId());
    assertThat(instance).isWaitingAt("Task_Inner");
    engine.getTaskService().complete(task(instance, "Task_Inner").getId());

    // then
    assertThat(instance).isEnded().hasPassed("Task_Compute", "Gateway_Route", "SubProcess_Work", "End_Big")
        .hasNotPassed("End_Small");
    assertThat(instance.getBusinessKey()).isNull();
    assertThat(cortex.sessions()).isEmpty();
    assertThat(rows("CORTEX_SESSION")).isZero();
    assertThat(rows("CORTEX_CHECKPOINT")).isZero();
  }

  // --- a designer's own phases ---

  @Test
  void designersUserTaskMarkedAsPhaseTakesSessionStartAndAPhaseCheckpoint() {
    // given
    TempRepo repo = TempRepo.init(temp);
    repo.write("doc/design.md", "# draft\n").commitAll("initial");
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-review").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .userTask("Task_Review")
        .userTask("Task_Unmarked")
        .endEvent("End").done();
    withProperty(model, "Task_Review", "cortex.phase", "Review");
    deploy(model);
    cortex.startSession("designer-review", "review-001", repo.dir(), Map.of());
    ProcessInstance instance = engine.getRuntimeService().createProcessInstanceQuery()
        .processInstanceBusinessKey("review-001").singleResult();
    assertThat(cortex.checkpoints("review-001")).extracting(Checkpoint::checkpointId).containsExactly("session-start");
    assertThat(cortex.status("review-001").activePhases()).containsExactly("Review");

    // when: the task is completed the plain Camunda way, e.g. in Tasklist
    repo.write("doc/design.md", "# reviewed\n");
    engine.getTaskService().complete(task(instance, "Task_Review").getId());

    // then
    assertThat(instance).isWaitingAt("Task_Unmarked");
    List<Checkpoint> checkpoints = cortex.checkpoints("review-001");
    assertThat(checkpoints).extracting(Checkpoint::checkpointId).containsExactly("session-start", "review-1");
    Checkpoint review = checkpoints.get(1);
    assertThat(review.type()).isEqualTo(CheckpointType.PHASE_END);
    assertThat(review.phase()).isEqualTo("Review");
    assertThat(review.processInstanceId()).isEqualTo(instance.getId());
    assertThat(repo.git("show", review.snapshotCommit() + ":doc/design.md")).isEqualTo("# reviewed\n");
    assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/review-001/review-1").trim())
        .isEqualTo(review.snapshotCommit());
    assertThat(cortex.session("review-001").processDefinitionKey()).isEqualTo("designer-review");

    // when: the unmarked task ends, no checkpoint
    engine.getTaskService().complete(task(instance, "Task_Unmarked").getId());

    // then
    assertThat(instance).isEnded();
    assertThat(cortex.checkpoints("review-001")).hasSize(2);
  }

  @Test
  void designersServiceTaskMarkedAsPhaseTakesItsCheckpointWhenItRunsThrough() {
    // given
    TempRepo repo = TempRepo.init(temp);
    repo.write("a.txt", "a\n").commitAll("initial");
    BpmnModelInstance model = Bpmn.createExecutableProcess("designer-lint").camundaHistoryTimeToLive(30)
        .startEvent("Start")
        .serviceTask("Task_Lint").camundaExpression("${true}")
        .userTask("Task_Wait")
        .endEvent("End").done();
    withProperty(model, "Task_Lint", "cortex.phase", "Lint");
    deploy(model);

    // when
    cortex.startSession("designer-lint", "lint-001", repo.dir(), Map.of());

    // then
    assertThat(cortex.checkpoints("lint-001")).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "lint-1");
  }

  // --- helpers ---

  /** Adds {@code <camunda:property name value>} to the element's extension elements. */
  static void withProperty(BpmnModelInstance model, String elementId, String name, String value) {
    BaseElement element = model.getModelElementById(elementId);
    ExtensionElements extensions = element.getExtensionElements();
    if (extensions == null) {
      extensions = model.newInstance(ExtensionElements.class);
      element.setExtensionElements(extensions);
    }
    CamundaProperties properties = extensions.getChildElementsByType(CamundaProperties.class).stream().findFirst()
        .orElse(null);
    if (properties == null) {
      properties = model.newInstance(CamundaProperties.class);
      extensions.addChildElement(properties);
    }
    CamundaProperty property = model.newInstance(CamundaProperty.class);
    property.setCamundaName(name);
    property.setCamundaValue(value);
    properties.addChildElement(property);
  }

  private void deploy(BpmnModelInstance model) {
    engine.getRepositoryService().createDeployment().addModelInstance("designer.bpmn", model).deploy();
  }

  /** Deploys a model that must be rejected; checks that nothing was deployed and returns the failure. */
  private Throwable deployFailing(BpmnModelInstance model) {
    RepositoryService repository = engine.getRepositoryService();
    long deployments = repository.createDeploymentQuery().count();
    long definitions = repository.createProcessDefinitionQuery().count();

    Throwable failure = catchThrowable(() -> deploy(model));

    assertThat(failure).as("deployment must fail").isNotNull()
        .isInstanceOfAny(ParseException.class, BpmnParseException.class);
    assertThat(repository.createDeploymentQuery().count()).as("deployments").isEqualTo(deployments);
    assertThat(repository.createProcessDefinitionQuery().count()).as("process definitions").isEqualTo(definitions);
    return failure;
  }

  private Task task(ProcessInstance instance, String taskKey) {
    return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId())
        .taskDefinitionKey(taskKey).singleResult();
  }

  private long rows(String table) {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    try (Connection connection = configuration.getDataSource().getConnection();
         Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
