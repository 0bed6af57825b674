package io.cortex.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import io.cortex.testing.ProjectRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the shipped Cortex process models: schema-valid, fully laid out for Modeler/Cockpit, phases
 * declared as {@code cortex.phase} subprocesses in flow order, every phase verified by
 * {@code ${cortexGate}} and recovered through {@code cortex-recovery}, the recovery process and its
 * operator form as the recovery contract describes them, and all of it accepted and run by a plain
 * engine whose {@code ${cortex...}} delegates are scripted stand-ins (no-ops unless a test says otherwise).
 */
class ProcessModelsTest {

  private static final Path PROCESSES = ProjectRoot.resolve("processes");
  private static final Path OPERATOR_FORM = PROCESSES.resolve("operator-decision.form");
  private static final String PHASE_PROPERTY = "cortex.phase";
  private static final String CANDIDATE_GROUP = "cortex-developers";
  private static final String RECOVERY_KEY = "cortex-recovery";
  private static final String FORM_ID = "cortex-operator-decision";
  private static final String GATE = "${cortexGate}";
  private static final String FAILED_PROCESS_EXPRESSION = "${execution.processDefinitionId.split(':')[0]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The delegate beans the models reference; each dispatches to {@link #DELEGATES} or does nothing. */
  private static final List<String> DELEGATE_BEANS = List.of("cortexGate", "cortexChooseStrategy",
      "cortexImmediate", "cortexProgressive", "cortexDecompose", "cortexRecoveryPoint", "cortexOperatorRollback",
      "cortexRollbackRequested");
  private static final Map<String, JavaDelegate> DELEGATES = new ConcurrentHashMap<>();

  private static ProcessEngine engine;

  /** One shipped model and what it must declare. */
  record ModelSpec(String file, String processId, List<String> phases) {
    @Override
    public String toString() {
      return file;
    }
  }

  private static final ModelSpec RECOVERY = new ModelSpec("recovery.bpmn", RECOVERY_KEY, List.of());

  /** The workflows: phases with gates and recovery. */
  static Stream<ModelSpec> models() {
    return Stream.of(
        new ModelSpec("planning.bpmn", "cortex-planning", List.of("DoR", "Implementation", "DoD")),
        new ModelSpec("tdd.bpmn", "cortex-tdd", List.of("RED", "GREEN", "REFACTOR")),
        new ModelSpec("system-alignment.bpmn", "cortex-system-alignment", List.of("Discovery", "Validation")));
  }

  /** Every shipped BPMN file: the workflows and the recovery process they call. */
  static Stream<ModelSpec> allModels() {
    return Stream.concat(models(), Stream.of(RECOVERY));
  }

  @BeforeAll
  static void startEngine() {
    String name = "models-" + UUID.randomUUID();
    StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
    configuration.setProcessEngineName(name);
    configuration.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    configuration.setJobExecutorActivate(false);
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    Map<Object, Object> beans = new HashMap<>();
    for (String bean : DELEGATE_BEANS) {
      beans.put(bean, (JavaDelegate) execution -> DELEGATES.getOrDefault(bean, ignored -> { }).execute(execution));
    }
    configuration.setBeans(beans);
    engine = configuration.buildProcessEngine();
    BpmnAwareTests.init(engine);
  }

  @AfterEach
  void resetDelegates() {
    DELEGATES.clear();
  }

  @AfterAll
  static void closeEngine() {
    BpmnAwareTests.reset();
    if (engine != null) {
      engine.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Static model checks: every file
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("allModels")
  void modelIsValidAgainstTheBpmnSchema(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);

    // when / then
    assertThatCode(() -> Bpmn.validateModel(model)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allModels")
  void processIsExecutableVersionedAndHasHistoryTimeToLive(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);

    // when
    Process process = model.getModelElementById(spec.processId());

    // then
    assertThat(process).as("process %s", spec.processId()).isNotNull();
    assertThat(process.isExecutable()).isTrue();
    assertThat(process.getCamundaHistoryTimeToLiveString()).isEqualTo("P30D");
    assertThat(process.getCamundaVersionTag()).isEqualTo("1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allModels")
  void diagramCarriesLayoutForEveryFlowNodeAndSequenceFlow(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Map<String, Bounds> shapes = shapesByElementId(model);
    Map<String, BpmnEdge> edges = edgesByElementId(model);

    // when
    Collection<FlowNode> flowNodes = model.getModelElementsByType(FlowNode.class);
    Collection<SequenceFlow> flows = model.getModelElementsByType(SequenceFlow.class);

    // then
    assertThat(flowNodes).isNotEmpty();
    assertThat(shapes.keySet())
        .as("every flow node needs a BPMNShape")
        .containsAll(ids(flowNodes));
    for (SubProcess subProcess : model.getModelElementsByType(SubProcess.class)) {
      BpmnShape shape = shapeOf(model, subProcess);
      assertThat(shape.isExpanded()).as("%s is drawn expanded", subProcess.getId()).isTrue();
      assertThat(subProcess.getName()).as("name of %s", subProcess.getId()).isNotBlank();
    }
    for (SequenceFlow flow : flows) {
      BpmnEdge edge = edges.get(flow.getId());
      assertThat(edge).as("BPMNEdge for %s", flow.getId()).isNotNull();
      List<Waypoint> waypoints = new ArrayList<>(edge.getWaypoints());
      assertThat(waypoints).as("waypoints of %s", flow.getId()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(touches(shapes.get(flow.getSource().getId()), waypoints.get(0)))
          .as("%s starts at its source %s", flow.getId(), flow.getSource().getId()).isTrue();
      assertThat(touches(shapes.get(flow.getTarget().getId()), waypoints.get(waypoints.size() - 1)))
          .as("%s ends at its target %s", flow.getId(), flow.getTarget().getId()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allModels")
  void shapesInTheSameParentDoNotOverlapAndNestedShapesStayInsideTheirSubprocess(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Map<String, Bounds> shapes = shapesByElementId(model);

    // when
    Map<ModelElementInstance, List<FlowNode>> nodesByParent = model.getModelElementsByType(FlowNode.class).stream()
        .filter(node -> !(node instanceof BoundaryEvent)) // boundary events sit on their host by design
        .collect(Collectors.groupingBy(ModelElementInstance::getParentElement));

    // then
    nodesByParent.forEach((parent, nodes) -> {
      for (int i = 0; i < nodes.size(); i++) {
        for (int j = i + 1; j < nodes.size(); j++) {
          FlowNode a = nodes.get(i);
          FlowNode b = nodes.get(j);
          assertThat(overlap(shapes.get(a.getId()), shapes.get(b.getId())))
              .as("shapes of %s and %s overlap", a.getId(), b.getId())
              .isFalse();
        }
      }
      if (parent instanceof SubProcess subProcess) {
        Bounds container = shapes.get(subProcess.getId());
        for (FlowNode node : nodes) {
          assertThat(contains(container, shapes.get(node.getId())))
              .as("%s is drawn inside %s", node.getId(), subProcess.getId())
              .isTrue();
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Static model checks: workflows
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void phasesAreSubprocessesTaggedWithCortexPhaseInFlowOrderLeftToRight(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Process process = model.getModelElementById(spec.processId());
    Map<String, Bounds> shapes = shapesByElementId(model);

    // when
    List<SubProcess> subProcessesInFlowOrder = subProcessesInFlowOrder(process);
    List<String> phases = subProcessesInFlowOrder.stream().map(ProcessModelsTest::phaseOf).toList();

    // then
    assertThat(phases).containsExactlyElementsOf(spec.phases());
    assertThat(model.getModelElementsByType(SubProcess.class).stream().filter(sp -> !sp.triggeredByEvent()))
        .as("subprocesses besides the rollback event subprocess").hasSameSizeAs(spec.phases());
    List<Double> xs = subProcessesInFlowOrder.stream().map(sp -> shapes.get(sp.getId()).getX()).toList();
    assertThat(xs).as("phases read left to right").isSorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void userTasksAreOfferedToCortexDevelopersWithoutAssignee(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);

    // when
    Collection<UserTask> userTasks = model.getModelElementsByType(UserTask.class);

    // then
    assertThat(userTasks).hasSameSizeAs(spec.phases());
    for (UserTask userTask : userTasks) {
      assertThat(userTask.getCamundaAssignee()).as("assignee of %s", userTask.getId()).isNull();
      assertThat(userTask.getCamundaCandidateGroups()).as("candidate groups of %s", userTask.getId())
          .isEqualTo(CANDIDATE_GROUP);
      assertThat(userTask.getName()).as("name of %s", userTask.getId()).startsWith("Complete ");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyPhaseEndsWithAnAsyncGateVerificationAfterItsUserTask(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Process process = model.getModelElementById(spec.processId());

    for (SubProcess phase : subProcessesInFlowOrder(process)) {
      // when
      String name = phaseOf(phase);
      String suffix = suffixOf(phase);
      UserTask userTask = model.getModelElementById("Task_Complete" + suffix);
      ServiceTask verify = model.getModelElementById("Task_Verify" + suffix);

      // then: StartEvent -> Task_Complete<X> -> Task_Verify<X> -> EndEvent, all inside the phase
      assertThat(userTask).as("Task_Complete%s", suffix).isNotNull();
      assertThat(verify).as("Task_Verify%s", suffix).isNotNull();
      assertThat(verify.getParentElement()).as("%s lies in %s", verify.getId(), phase.getId()).isSameAs(phase);
      assertThat(verify.getName()).isEqualTo("Verify " + name);
      assertThat(verify.getCamundaDelegateExpression()).as("delegate of %s", verify.getId()).isEqualTo(GATE);
      assertThat(verify.isCamundaAsyncBefore()).as("%s is async before", verify.getId()).isTrue();
      assertThat(targetsOf(userTask)).as("after %s", userTask.getId()).containsExactly(verify);
      assertThat(targetsOf(verify)).as("after %s", verify.getId()).singleElement()
          .isInstanceOf(EndEvent.class)
          .satisfies(end -> assertThat(end.getParentElement()).isSameAs(phase));
      assertThat(phase.getChildElementsByType(StartEvent.class)).singleElement()
          .satisfies(start -> assertThat(targetsOf(start)).containsExactly(userTask));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyPhaseRecoversThroughCortexRecoveryAndLoopsBackOrAborts(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Process process = model.getModelElementById(spec.processId());

    for (SubProcess phase : subProcessesInFlowOrder(process)) {
      String name = phaseOf(phase);
      String suffix = suffixOf(phase);

      // then: one interrupting catch-all error boundary event that keeps code and message
      List<BoundaryEvent> boundaries = model.getModelElementsByType(BoundaryEvent.class).stream()
          .filter(boundary -> boundary.getAttachedTo() == phase)
          .toList();
      assertThat(boundaries).as("boundary events of %s", phase.getId()).hasSize(1);
      BoundaryEvent failed = boundaries.get(0);
      assertThat(failed.getId()).isEqualTo("Event_" + suffix + "Failed");
      assertThat(failed.getName()).isEqualTo(name + " failed");
      assertThat(failed.cancelActivity()).as("%s interrupts the phase", failed.getId()).isTrue();
      assertThat(failed.getEventDefinitions()).singleElement().isInstanceOf(ErrorEventDefinition.class);
      ErrorEventDefinition error = (ErrorEventDefinition) failed.getEventDefinitions().iterator().next();
      assertThat(error.getError()).as("%s catches any error", failed.getId()).isNull();
      assertThat(error.getCamundaErrorCodeVariable()).isEqualTo("cortexErrorCode");
      assertThat(error.getCamundaErrorMessageVariable()).isEqualTo("cortexErrorMessage");

      // then: the boundary event calls cortex-recovery with the contract's in/out mappings
      assertThat(targetsOf(failed)).singleElement().isInstanceOf(CallActivity.class);
      CallActivity recover = (CallActivity) targetsOf(failed).get(0);
      assertThat(recover.getId()).isEqualTo("CallActivity_Recover" + suffix);
      assertThat(recover.getName()).isEqualTo("Recover " + name);
      assertThat(recover.getCalledElement()).isEqualTo(RECOVERY_KEY);
      assertThat(inMappings(recover)).as("camunda:in of %s", recover.getId()).containsExactlyInAnyOrder(
          "businessKey=#{execution.processBusinessKey}",
          "variables=all",
          "sourceExpression=" + name + " -> cortexFailedPhase",
          "sourceExpression=" + FAILED_PROCESS_EXPRESSION + " -> cortexFailedProcess");
      assertThat(outMappings(recover)).as("camunda:out of %s", recover.getId()).containsExactlyInAnyOrder(
          "recoveryOutcome -> recoveryOutcome",
          "recoveredCheckpoint -> recoveredCheckpoint");

      // then: "Recovered?" loops back into the same phase, its default flow ends the session
      assertThat(targetsOf(recover)).singleElement().isInstanceOf(ExclusiveGateway.class);
      ExclusiveGateway recovered = (ExclusiveGateway) targetsOf(recover).get(0);
      assertThat(recovered.getId()).isEqualTo("Gateway_" + suffix + "Recovered");
      assertThat(recovered.getName()).isEqualTo("Recovered?");
      assertThat(recovered.getOutgoing()).hasSize(2);
      SequenceFlow abort = recovered.getDefault();
      assertThat(abort).as("default flow of %s", recovered.getId()).isNotNull();
      assertThat(abort.getTarget()).isInstanceOf(EndEvent.class);
      assertThat(abort.getTarget().getId()).isEqualTo("EndEvent_" + suffix + "Aborted");
      assertThat(abort.getTarget().getName()).isEqualTo("Session aborted");
      assertThat(abort.getTarget().getParentElement()).isSameAs(process);
      SequenceFlow retry = recovered.getOutgoing().stream().filter(flow -> flow != abort).findFirst().orElseThrow();
      assertThat(conditionOf(retry)).isEqualTo("${recoveryOutcome == 'RECOVERED'}");
      assertThat(retry.getTarget()).as("%s returns to its phase", retry.getId()).isSameAs(phase);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void recoveryOfEveryPhaseIsDrawnBelowThePhase(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Process process = model.getModelElementById(spec.processId());
    Map<String, Bounds> shapes = shapesByElementId(model);
    Map<String, BpmnEdge> edges = edgesByElementId(model);

    for (SubProcess phase : subProcessesInFlowOrder(process)) {
      // when
      String suffix = suffixOf(phase);
      Bounds host = shapes.get(phase.getId());
      double bottom = host.getY() + host.getHeight();
      Bounds failed = shapes.get("Event_" + suffix + "Failed");

      // then: the boundary event sits on the bottom edge, the rest of the recovery underneath
      assertThat(failed.getY() + failed.getHeight() / 2).as("Event_%sFailed on the bottom edge", suffix)
          .isEqualTo(bottom);
      assertThat(failed.getX()).isBetween(host.getX(), host.getX() + host.getWidth() - failed.getWidth());
      for (String id : List.of("CallActivity_Recover" + suffix, "Gateway_" + suffix + "Recovered",
          "EndEvent_" + suffix + "Aborted")) {
        assertThat(shapes.get(id).getY()).as("%s is drawn below %s", id, phase.getId()).isGreaterThan(bottom);
      }
      List<Waypoint> loop = new ArrayList<>(edges.get("Flow_" + suffix + "Recovered").getWaypoints());
      assertThat(loop.get(loop.size() - 1).getY()).as("the loop-back enters %s from below", phase.getId())
          .isEqualTo(bottom);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyWorkflowRollsBackThroughAnInterruptingMessageEventSubprocess(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Process process = model.getModelElementById(spec.processId());

    // when
    SubProcess rollback = model.getModelElementById("EventSubProcess_Rollback");
    StartEvent requested = model.getModelElementById("StartEvent_RollbackRequested");
    ServiceTask perform = model.getModelElementById("Task_PerformRollback");
    EndEvent rolledBack = model.getModelElementById("EndEvent_RolledBack");

    // then: an event subprocess of the process itself, started by the message CortexRollbackRequested
    assertThat(rollback).as("EventSubProcess_Rollback").isNotNull();
    assertThat(rollback.triggeredByEvent()).isTrue();
    assertThat(rollback.getName()).isEqualTo("Rollback requested");
    assertThat(rollback.getParentElement()).isSameAs(process);
    assertThat(requested.getParentElement()).isSameAs(rollback);
    assertThat(requested.isInterrupting()).as("the rollback interrupts the running phase").isTrue();
    assertThat(requested.getEventDefinitions()).singleElement().isInstanceOf(MessageEventDefinition.class);
    MessageEventDefinition message = (MessageEventDefinition) requested.getEventDefinitions().iterator().next();
    assertThat(message.getMessage().getName()).isEqualTo("CortexRollbackRequested");

    // then: start -> "Roll back to checkpoint" (synchronous, so a refusal rolls the whole request back) -> end
    assertThat(targetsOf(requested)).containsExactly(perform);
    assertThat(perform.getName()).isEqualTo("Roll back to checkpoint");
    assertThat(perform.getCamundaDelegateExpression()).isEqualTo("${cortexRollbackRequested}");
    assertThat(perform.isCamundaAsyncBefore()).as("Task_PerformRollback is not async before").isFalse();
    assertThat(perform.isCamundaAsyncAfter()).as("Task_PerformRollback is not async after").isFalse();
    assertThat(targetsOf(perform)).containsExactly(rolledBack);
    assertThat(rolledBack.getName()).isEqualTo("Rolled back");
    assertThat(model.getModelElementsByType(FlowNode.class).stream().filter(node -> node.getParentElement() == rollback))
        .hasSize(3);

    // then: drawn below everything else of the process, so it never hides the phases and their recovery
    Map<String, Bounds> shapes = shapesByElementId(model);
    double top = shapes.get(rollback.getId()).getY();
    model.getModelElementsByType(FlowNode.class).stream()
        .filter(node -> node.getParentElement() == process && node != rollback)
        .forEach(node -> assertThat(shapes.get(node.getId()).getY() + shapes.get(node.getId()).getHeight())
            .as("%s is drawn above the rollback event subprocess", node.getId()).isLessThan(top));
  }

  // ---------------------------------------------------------------------------------------------
  // Static model checks: recovery process and operator form
  // ---------------------------------------------------------------------------------------------

  @Test
  void recoveryChoosesAStrategyAndRunsItInItsOwnSubprocess() {
    // given
    BpmnModelInstance model = read(RECOVERY);
    Process process = model.getModelElementById(RECOVERY_KEY);

    // when
    StartEvent started = model.getModelElementById("StartEvent_RecoveryStarted");
    ServiceTask choose = model.getModelElementById("Task_ChooseStrategy");
    ExclusiveGateway strategy = model.getModelElementById("Gateway_Strategy");

    // then
    assertThat(process.getName()).isEqualTo("Recovery");
    assertThat(started.getParentElement()).isSameAs(process);
    assertThat(targetsOf(started)).containsExactly(choose);
    assertThat(choose.getName()).isEqualTo("Choose strategy");
    assertThat(choose.getCamundaDelegateExpression()).isEqualTo("${cortexChooseStrategy}");
    assertThat(targetsOf(choose)).containsExactly(strategy);
    assertThat(strategy.getName()).isEqualTo("Strategy?");
    assertThat(strategy.getOutgoing()).hasSize(3);
    Map<String, String[]> strategies = Map.of(
        "Immediate", new String[] {"IMMEDIATE", "Restore last good checkpoint", "${cortexImmediate}"},
        "Progressive", new String[] {"PROGRESSIVE", "Try checkpoints with the gate", "${cortexProgressive}"},
        "Decompose", new String[] {"DECOMPOSE", "Re-apply file by file", "${cortexDecompose}"});
    strategies.forEach((suffix, expected) -> {
      SubProcess subProcess = model.getModelElementById("SubProcess_" + suffix);
      ServiceTask work = model.getModelElementById("Task_" + suffix);
      assertThat(subProcess.getName()).isEqualTo(expected[0]);
      assertThat(work.getParentElement()).isSameAs(subProcess);
      assertThat(subProcess.getChildElementsByType(ServiceTask.class)).containsExactly(work);
      assertThat(work.getName()).isEqualTo(expected[1]);
      assertThat(work.getCamundaDelegateExpression()).isEqualTo(expected[2]);
      assertThat(work.isCamundaAsyncBefore()).as("%s is async before", work.getId()).isTrue();
      SequenceFlow in = single(subProcess.getIncoming());
      assertThat(in.getSource()).isSameAs(strategy);
      assertThat(conditionOf(in)).isEqualTo("${strategy == '" + expected[0] + "'}");
      assertThat(targetsOf(subProcess)).extracting(BaseElement::getId).containsExactly("Gateway_StrategyDone");
    });
  }

  @Test
  void recoveryRecordsARecoveryPointRetriesWithBackoffAndFinallyAsksAnOperator() {
    // given
    BpmnModelInstance model = read(RECOVERY);

    // when
    ExclusiveGateway done = model.getModelElementById("Gateway_StrategyDone");
    ExclusiveGateway recovered = model.getModelElementById("Gateway_Recovered");
    ExclusiveGateway attemptsLeft = model.getModelElementById("Gateway_AttemptsLeft");
    ExclusiveGateway decision = model.getModelElementById("Gateway_Decision");
    ServiceTask recoveryPoint = model.getModelElementById("Task_RecoveryPoint");
    ServiceTask operatorRollback = model.getModelElementById("Task_OperatorRollback");
    UserTask operatorDecision = model.getModelElementById("Task_OperatorDecision");
    IntermediateCatchEvent backoff = model.getModelElementById("Event_Backoff");
    EndEvent aborted = model.getModelElementById("EndEvent_Aborted");

    // then: recovered -> recovery point -> "Recovered"
    assertThat(targetsOf(done)).containsExactly(recovered);
    assertThat(recovered.getName()).isEqualTo("Recovered?");
    assertThat(conditionalTarget(recovered, "${recovered}")).isSameAs(recoveryPoint);
    assertThat(recovered.getDefault().getTarget()).isSameAs(attemptsLeft);
    assertThat(recoveryPoint.getName()).isEqualTo("Record recovery point");
    assertThat(recoveryPoint.getCamundaDelegateExpression()).isEqualTo("${cortexRecoveryPoint}");
    assertThat(recoveryPoint.isCamundaAsyncBefore()).isTrue();
    assertThat(targetsOf(recoveryPoint)).singleElement()
        .satisfies(end -> assertThat(end.getId()).isEqualTo("EndEvent_Recovered"))
        .satisfies(end -> assertThat(end.getName()).isEqualTo("Recovered"))
        .isInstanceOf(EndEvent.class);

    // then: not recovered, attempts left -> timer with the backoff -> back to "Choose strategy"
    assertThat(attemptsLeft.getName()).isEqualTo("Attempts left?");
    assertThat(conditionalTarget(attemptsLeft, "${recoveryAttempt < maxAttempts}")).isSameAs(backoff);
    assertThat(backoff.getName()).isEqualTo("Wait (backoff)");
    assertThat(backoff.getEventDefinitions()).singleElement().isInstanceOf(TimerEventDefinition.class);
    TimerEventDefinition timer = (TimerEventDefinition) backoff.getEventDefinitions().iterator().next();
    assertThat(timer.getTimeDuration().getTextContent().trim()).isEqualTo("${retryDelay}");
    assertThat(targetsOf(backoff)).extracting(BaseElement::getId).containsExactly("Task_ChooseStrategy");

    // then: no attempts left -> operator decides with the Camunda Form
    assertThat(attemptsLeft.getDefault().getTarget()).isSameAs(operatorDecision);
    assertThat(operatorDecision.getName()).isEqualTo("Decide recovery");
    assertThat(operatorDecision.getCamundaFormRef()).isEqualTo(FORM_ID);
    assertThat(operatorDecision.getCamundaFormRefBinding()).isEqualTo("latest");
    assertThat(operatorDecision.getCamundaCandidateGroups()).isEqualTo("cortex-operators");
    assertThat(operatorDecision.getCamundaAssignee()).isNull();
    assertThat(targetsOf(operatorDecision)).containsExactly(decision);
    assertThat(decision.getName()).isEqualTo("Abort?");
    assertThat(conditionalTarget(decision, "${execution.getVariable('decisionAbort') == true}")).isSameAs(aborted);
    assertThat(aborted.getName()).isEqualTo("Aborted");
    assertThat(executionListeners(aborted)).containsExactly(
        "start: ${execution.setVariable('recoveryOutcome', 'ABORTED')}");
    assertThat(decision.getDefault().getTarget()).isSameAs(operatorRollback);
    assertThat(operatorRollback.getName()).isEqualTo("Roll back as decided");
    assertThat(operatorRollback.getCamundaDelegateExpression()).isEqualTo("${cortexOperatorRollback}");
    assertThat(operatorRollback.isCamundaAsyncBefore()).isTrue();
    assertThat(targetsOf(operatorRollback)).containsExactly(recoveryPoint);
  }

  @Test
  void recoveryIsDrawnLeftToRightWithTheRetryLoopAsABackEdge() {
    // given
    BpmnModelInstance model = read(RECOVERY);
    Map<String, Bounds> shapes = shapesByElementId(model);
    Map<String, BpmnEdge> edges = edgesByElementId(model);

    // when
    List<String> mainLine = List.of("StartEvent_RecoveryStarted", "Task_ChooseStrategy", "Gateway_Strategy",
        "SubProcess_Immediate", "Gateway_StrategyDone", "Gateway_Recovered", "Task_RecoveryPoint",
        "EndEvent_Recovered");
    IntermediateCatchEvent backoff = model.getModelElementById("Event_Backoff");
    SequenceFlow retry = single(backoff.getOutgoing());
    List<Waypoint> back = new ArrayList<>(edges.get(retry.getId()).getWaypoints());

    // then
    assertThat(mainLine.stream().map(id -> shapes.get(id).getX()).toList()).as("main line reads left to right")
        .isSorted();
    assertThat(back.get(back.size() - 1).getX()).as("the retry edge runs back to the left")
        .isLessThan(back.get(0).getX());
    assertThat(shapes.get("Event_Backoff").getX()).isGreaterThan(shapes.get("Task_ChooseStrategy").getX());
  }

  @Test
  void operatorDecisionFormIsACamundaFormWithTheDecisionFields() throws IOException {
    // given
    JsonNode form = JSON.readTree(OPERATOR_FORM.toFile());

    // when
    List<JsonNode> components = StreamSupport.stream(form.path("components").spliterator(), false).toList();
    Map<String, JsonNode> fields = components.stream()
        .filter(component -> component.hasNonNull("key"))
        .collect(Collectors.toMap(component -> component.get("key").asText(), component -> component));

    // then
    assertThat(form.path("id").asText()).isEqualTo(FORM_ID);
    assertThat(form.path("type").asText()).isEqualTo("default");
    assertThat(form.path("executionPlatform").asText()).isEqualTo("Camunda Platform");
    assertThat(form.path("executionPlatformVersion").asText()).isEqualTo("7.24.0");
    assertThat(form.path("schemaVersion").isInt()).isTrue();
    assertThat(components).allSatisfy(component -> {
      assertThat(component.path("type").asText()).isNotBlank();
      assertThat(component.path("id").asText()).isNotBlank();
    });
    assertThat(components.stream().map(component -> component.get("id").asText()).distinct()).hasSameSizeAs(components);
    assertThat(fields.keySet()).containsExactlyInAnyOrder("decisionStrategy", "decisionTarget", "decisionForce",
        "decisionAbort");
    assertThat(fields.values()).allSatisfy(field -> assertThat(field.path("label").asText()).isNotBlank());
    assertThat(fields.get("decisionStrategy").path("type").asText()).isEqualTo("select");
    assertThat(fields.get("decisionStrategy").path("values").findValuesAsText("value"))
        .containsExactlyInAnyOrder("IMMEDIATE", "PROGRESSIVE", "DECOMPOSE", "TARGET");
    assertThat(fields.get("decisionTarget").path("type").asText()).isEqualTo("textfield");
    assertThat(fields.get("decisionTarget").path("label").asText()).isEqualTo("Target checkpoint (for TARGET)");
    assertThat(fields.get("decisionForce").path("type").asText()).isEqualTo("checkbox");
    assertThat(fields.get("decisionForce").path("label").asText()).isEqualTo("Force");
    assertThat(fields.get("decisionAbort").path("type").asText()).isEqualTo("checkbox");
    assertThat(fields.get("decisionAbort").path("label").asText()).isEqualTo("Abort the session");
    assertThat(components).filteredOn(component -> "text".equals(component.path("type").asText()))
        .singleElement()
        .satisfies(text -> assertThat(text.path("text").asText())
            .contains("{{cortexFailedPhase}}", "{{cortexErrorCode}}", "{{cortexErrorMessage}}"));
  }

  // ---------------------------------------------------------------------------------------------
  // Engine checks
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("allModels")
  void engineAcceptsTheModelFile(ModelSpec spec) throws IOException {
    // given
    Path file = PROCESSES.resolve(spec.file());

    // when
    Deployment deployment = deploy(file);

    // then
    ProcessDefinition definition = engine.getRepositoryService().createProcessDefinitionQuery()
        .deploymentId(deployment.getId())
        .singleResult();
    assertThat(definition).isNotNull();
    assertThat(definition.getKey()).isEqualTo(spec.processId());
    assertThat(definition.getVersionTag()).isEqualTo("1");
    assertThat(definition.getHistoryTimeToLive()).isEqualTo(30);
    assertThat(definition.hasStartFormKey()).isFalse();
  }

  @Test
  void engineAcceptsTheRecoveryProcessTogetherWithTheOperatorForm() throws IOException {
    // when
    Deployment deployment = deploy(PROCESSES.resolve("recovery.bpmn"), OPERATOR_FORM);

    // then
    assertThat(engine.getRepositoryService().getDeploymentResourceNames(deployment.getId()))
        .containsExactlyInAnyOrder("recovery.bpmn", "operator-decision.form");
    ProcessDefinition definition = engine.getRepositoryService().createProcessDefinitionQuery()
        .deploymentId(deployment.getId())
        .singleResult();
    assertThat(definition.getKey()).isEqualTo(RECOVERY_KEY);
    assertThat(definition.getName()).isEqualTo("Recovery");
  }

  @Test
  void tddLoopsBackToRedWhenAnotherCycleIsRequestedAndEndsWhenItIsNot() throws IOException {
    // given: gates pass (the no-op cortexGate)
    deploy(PROCESSES.resolve("tdd.bpmn"));
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("cortex-tdd");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRed");
    completeAndVerify(instance, "Red");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen");
    completeAndVerify(instance, "Green");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRefactor");

    // when: the developer asks for another cycle, as Cortex.completePhase passes it: a plain process
    // variable (a transient one would not survive the wait before the async REFACTOR verification)
    complete(task(instance), withVariables("anotherCycle", true));
    passGate(instance, "Task_VerifyRefactor");

    // then: back at RED, whose start listener cleared the decision for the next cycle
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRed");
    BpmnAwareTests.assertThat(instance).variables().doesNotContainKey("anotherCycle");

    // when: second cycle, refactor completed without the variable
    completeAndVerify(instance, "Red");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen");
    completeAndVerify(instance, "Green");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRefactor");
    completeAndVerify(instance, "Refactor");

    // then: the default "no" flow ends the session after two full cycles
    BpmnAwareTests.assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone");
    for (String activityId : List.of("Task_CompleteRed", "Task_CompleteGreen", "Task_CompleteRefactor",
        "Task_VerifyRed", "Task_VerifyGreen", "Task_VerifyRefactor")) {
      assertThat(finishedCount(instance, activityId)).as("completions of %s", activityId).isEqualTo(2);
    }
    BpmnAwareTests.assertThat(instance).hasNotPassed("CallActivity_RecoverRed", "CallActivity_RecoverGreen",
        "CallActivity_RecoverRefactor");
  }

  @Test
  void aFailedGateIsRecoveredByCortexRecoveryAndThePhaseStartsAgain() throws IOException {
    // given: GREEN's gate fails once, recovery picks IMMEDIATE, which recovers
    deploy(PROCESSES.resolve("tdd.bpmn"));
    deploy(PROCESSES.resolve("recovery.bpmn"), OPERATOR_FORM);
    AtomicInteger greenGates = new AtomicInteger();
    DELEGATES.put("cortexGate", execution -> {
      if ("Task_VerifyGreen".equals(execution.getCurrentActivityId()) && greenGates.getAndIncrement() == 0) {
        throw new BpmnError("GATE_FAILED", "gate 'mvn -q test' expected PASS, exit code 1");
      }
    });
    DELEGATES.put("cortexChooseStrategy", chooseStrategy(List.of("IMMEDIATE"), 3));
    DELEGATES.put("cortexImmediate", execution -> execution.setVariable("recovered", true));
    DELEGATES.put("cortexRecoveryPoint", recoveryPoint("recovery-green-1"));
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("cortex-tdd", "tdd-session-1");
    completeAndVerify(instance, "Red");

    // when: GREEN's verification fails
    completeAndVerify(instance, "Green");

    // then: the phase was interrupted and a recovery instance runs with the contract's inputs
    BpmnAwareTests.assertThat(instance).isWaitingAt("CallActivity_RecoverGreen").hasPassed("Event_GreenFailed");
    ProcessInstance recovery = calledRecovery(instance);
    assertThat(recovery.getBusinessKey()).isEqualTo("tdd-session-1");
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_Immediate").variables()
        .containsEntry("cortexErrorCode", "GATE_FAILED")
        .containsEntry("cortexErrorMessage", "gate 'mvn -q test' expected PASS, exit code 1")
        .containsEntry("cortexFailedPhase", "GREEN")
        .containsEntry("cortexFailedProcess", "cortex-tdd")
        .containsEntry("strategy", "IMMEDIATE")
        .containsEntry("recoveryAttempt", 1);

    // when: the strategy and the recovery point run (both async)
    execute(job(recovery));
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_RecoveryPoint");
    execute(job(recovery));

    // then: recovered; GREEN starts again with the outcome mapped back
    BpmnAwareTests.assertThat(recovery).isEnded().hasPassed("EndEvent_Recovered");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen").hasPassed("Gateway_GreenRecovered")
        .variables()
        .containsEntry("recoveryOutcome", "RECOVERED")
        .containsEntry("recoveredCheckpoint", "recovery-green-1");

    // when: the rest of the session passes its gates
    completeAndVerify(instance, "Green");
    completeAndVerify(instance, "Refactor");

    // then
    BpmnAwareTests.assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone").hasNotPassed("EndEvent_GreenAborted");
    assertThat(finishedCount(instance, "Task_CompleteGreen")).isEqualTo(2);
  }

  @Test
  void anOperatorWhoAbortsEndsTheSessionAtThePhasesAbortEndEvent() throws IOException {
    // given: Discovery fails, the only attempt does not recover
    deploy(PROCESSES.resolve("system-alignment.bpmn"));
    deploy(PROCESSES.resolve("recovery.bpmn"), OPERATOR_FORM);
    DELEGATES.put("cortexGate", execution -> {
      throw new BpmnError("PHASE_FAILED", "discovery notes are incomplete");
    });
    DELEGATES.put("cortexChooseStrategy", chooseStrategy(List.of("PROGRESSIVE"), 1));
    DELEGATES.put("cortexProgressive", execution -> execution.setVariable("recovered", false));
    ProcessInstance instance = engine.getRuntimeService()
        .startProcessInstanceByKey("cortex-system-alignment", "alignment-session-1");
    completeAndVerify(instance, "Discovery");
    ProcessInstance recovery = calledRecovery(instance);

    // when: the strategy fails and no attempts are left
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_Progressive");
    execute(job(recovery));

    // then: an operator decides, with the deployed Camunda Form
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_OperatorDecision");
    Task decision = task(recovery);
    BpmnAwareTests.assertThat(decision).hasCandidateGroup("cortex-operators").isNotAssigned();
    try (InputStream form = engine.getFormService().getDeployedTaskForm(decision.getId())) {
      assertThat(JSON.readTree(form).path("id").asText()).isEqualTo(FORM_ID);
    }

    // when: the operator aborts
    complete(decision, withVariables("decisionStrategy", "IMMEDIATE", "decisionTarget", "",
        "decisionForce", false, "decisionAbort", true));

    // then: both instances end; the session at Discovery's abort end event
    BpmnAwareTests.assertThat(recovery).isEnded().hasPassed("EndEvent_Aborted").hasNotPassed("Task_RecoveryPoint");
    BpmnAwareTests.assertThat(instance).isEnded().hasPassed("EndEvent_DiscoveryAborted")
        .hasNotPassed("Task_CompleteValidation", "EndEvent_SessionDone");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(instance.getId()).variableName("recoveryOutcome").singleResult().getValue())
        .isEqualTo("ABORTED");
  }

  @Test
  void recoveryRetriesAfterTheBackoffThenRollsBackAsTheOperatorDecided() throws IOException {
    // given: two attempts (DECOMPOSE, then PROGRESSIVE), neither recovers
    deploy(PROCESSES.resolve("recovery.bpmn"), OPERATOR_FORM);
    List<String> chosen = new CopyOnWriteArrayList<>();
    DELEGATES.put("cortexChooseStrategy", execution -> {
      chooseStrategy(List.of("DECOMPOSE", "PROGRESSIVE"), 2).execute(execution);
      chosen.add((String) execution.getVariable("strategy"));
    });
    DELEGATES.put("cortexDecompose", execution -> execution.setVariable("recovered", false));
    DELEGATES.put("cortexProgressive", execution -> execution.setVariable("recovered", false));
    Map<String, Object> decided = new ConcurrentHashMap<>();
    DELEGATES.put("cortexOperatorRollback", execution -> decided.putAll(execution.getVariables()));
    DELEGATES.put("cortexRecoveryPoint", recoveryPoint("recovery-dod-1"));
    ProcessInstance recovery = engine.getRuntimeService().startProcessInstanceByKey(RECOVERY_KEY, "planning-1",
        withVariables("cortexErrorCode", "VALIDATION_ERROR", "cortexErrorMessage", "DoD does not validate",
            "cortexFailedPhase", "DoD", "cortexFailedProcess", "cortex-planning"));

    // when: the first attempt fails
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_Decompose");
    execute(job(recovery));

    // then: it waits for the backoff timer
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Event_Backoff");
    Job timer = job(recovery);
    assertThat(engine.getManagementService().createJobQuery().jobId(timer.getId()).timers().count()).isEqualTo(1);

    // when: the timer fires and the second attempt fails too
    execute(timer);
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_Progressive");
    execute(job(recovery));

    // then: no attempts left, the operator decides to roll back to a target
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_OperatorDecision");
    complete(task(recovery), withVariables("decisionStrategy", "TARGET", "decisionTarget", "dod-1",
        "decisionForce", true, "decisionAbort", false));
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_OperatorRollback");
    execute(job(recovery));
    BpmnAwareTests.assertThat(recovery).isWaitingAt("Task_RecoveryPoint");
    execute(job(recovery));

    // then
    assertThat(chosen).containsExactly("DECOMPOSE", "PROGRESSIVE");
    assertThat(decided).containsEntry("decisionStrategy", "TARGET").containsEntry("decisionTarget", "dod-1")
        .containsEntry("decisionForce", true);
    BpmnAwareTests.assertThat(recovery).isEnded()
        .hasPassed("Event_Backoff", "Task_OperatorRollback", "EndEvent_Recovered")
        .hasNotPassed("EndEvent_Aborted", "Task_Immediate");
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(recovery.getId()).variableName("recoveryOutcome").singleResult().getValue())
        .isEqualTo("RECOVERED");
  }

  @Test
  void aRollbackRequestInterruptsThePhaseAndTheInstanceWaitsInTheRestoredPhase() throws IOException {
    // given: a planning session in Implementation; the stand-in does to the process what the server's delegate
    // does after restoring dor-1: it starts that checkpoint's phase again
    deploy(PROCESSES.resolve("planning.bpmn"));
    Map<String, Object> received = new ConcurrentHashMap<>();
    DELEGATES.put("cortexRollbackRequested", execution -> {
      received.putAll(execution.getVariables());
      execution.getProcessEngineServices().getRuntimeService()
          .createProcessInstanceModification(execution.getProcessInstanceId())
          .startBeforeActivity("SubProcess_Dor")
          .execute();
    });
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("cortex-planning", "planning-rollback-1");
    completeAndVerify(instance, "Dor");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteImplementation");

    // when
    engine.getRuntimeService().createMessageCorrelation("CortexRollbackRequested")
        .processInstanceId(instance.getId())
        .setVariable("rollbackTarget", "dor-1")
        .setVariable("rollbackForce", false)
        .setVariable("rollbackActor", "demo")
        .correlate();

    // then: Implementation was interrupted, the event subprocess ran to its end, DoR waits again
    BpmnAwareTests.assertThat(instance).isNotEnded().isWaitingAt("Task_CompleteDor")
        .hasPassed("StartEvent_RollbackRequested", "Task_PerformRollback", "EndEvent_RolledBack");
    assertThat(received).containsEntry("rollbackTarget", "dor-1").containsEntry("rollbackForce", false)
        .containsEntry("rollbackActor", "demo");
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
        .activityId("Task_CompleteImplementation").canceled().count()).isEqualTo(1);
    assertThat(finishedCount(instance, "EventSubProcess_Rollback")).isEqualTo(1);

    // when / then: the session goes on from DoR
    completeAndVerify(instance, "Dor");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteImplementation");
  }

  @Test
  void aRefusedRollbackLeavesTheInstanceExactlyWhereItWas() throws IOException {
    // given: a TDD session in GREEN whose rollback delegate refuses
    deploy(PROCESSES.resolve("tdd.bpmn"));
    DELEGATES.put("cortexRollbackRequested", execution -> {
      throw new IllegalStateException("Safety check failed: Uncommitted changes detected");
    });
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("cortex-tdd", "tdd-rollback-1");
    completeAndVerify(instance, "Red");
    Task green = task(instance);

    // when
    assertThatThrownBy(() -> engine.getRuntimeService().createMessageCorrelation("CortexRollbackRequested")
        .processInstanceId(instance.getId())
        .setVariable("rollbackTarget", "red-1")
        .correlate())
        .hasMessageContaining("Safety check failed");

    // then: the same task still waits, nothing was interrupted or recorded
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen");
    assertThat(task(instance).getId()).isEqualTo(green.getId());
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
        .activityId("EventSubProcess_Rollback").count()).isZero();
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
        .activityId("Task_PerformRollback").count()).isZero();
    assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
        .canceled().count()).isZero();
    assertThat(engine.getRuntimeService().getVariables(instance.getId())).doesNotContainKey("rollbackTarget");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private static BpmnModelInstance read(ModelSpec spec) {
    return Bpmn.readModelFromFile(PROCESSES.resolve(spec.file()).toFile());
  }

  private static Deployment deploy(Path... files) throws IOException {
    var builder = engine.getRepositoryService().createDeployment()
        .name("models-test " + Stream.of(files).map(Path::getFileName).map(Path::toString)
            .collect(Collectors.joining(", ")));
    for (Path file : files) {
      builder.addString(file.getFileName().toString(), Files.readString(file));
    }
    return builder.deploy();
  }

  /** Completes the phase's user task and runs its (async) gate verification. */
  private static void completeAndVerify(ProcessInstance instance, String suffix) {
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_Complete" + suffix);
    complete(task(instance));
    passGate(instance, "Task_Verify" + suffix);
  }

  private static void passGate(ProcessInstance instance, String verifyTaskId) {
    BpmnAwareTests.assertThat(instance).isWaitingAt(verifyTaskId);
    execute(job(instance));
  }

  private static ProcessInstance calledRecovery(ProcessInstance instance) {
    ProcessInstance recovery = engine.getRuntimeService().createProcessInstanceQuery()
        .superProcessInstanceId(instance.getId())
        .singleResult();
    assertThat(recovery).as("recovery called by %s", instance.getId()).isNotNull();
    ProcessDefinition definition = engine.getRepositoryService().getProcessDefinition(recovery.getProcessDefinitionId());
    assertThat(definition.getKey()).isEqualTo(RECOVERY_KEY);
    return recovery;
  }

  /** A stand-in for {@code ${cortexChooseStrategy}}: the contract's variables, strategies in attempt order. */
  private static JavaDelegate chooseStrategy(List<String> strategies, int maxAttempts) {
    return execution -> {
      Integer previous = (Integer) execution.getVariable("recoveryAttempt");
      int attempt = previous == null ? 1 : previous + 1;
      execution.setVariable("recoveryAttempt", attempt);
      execution.setVariable("maxAttempts", maxAttempts);
      execution.setVariable("strategy", strategies.get(Math.min(attempt, strategies.size()) - 1));
      execution.setVariable("retryDelay", "PT1S");
    };
  }

  private static JavaDelegate recoveryPoint(String checkpointId) {
    return (DelegateExecution execution) -> {
      execution.setVariable("recoveryOutcome", "RECOVERED");
      execution.setVariable("recoveredCheckpoint", checkpointId);
    };
  }

  private static long finishedCount(ProcessInstance instance, String activityId) {
    return engine.getHistoryService().createHistoricActivityInstanceQuery()
        .processInstanceId(instance.getId())
        .activityId(activityId)
        .finished()
        .count();
  }

  private static Map<String, Bounds> shapesByElementId(BpmnModelInstance model) {
    return model.getModelElementsByType(BpmnShape.class).stream()
        .filter(shape -> shape.getBpmnElement() != null)
        .collect(Collectors.toMap(shape -> shape.getBpmnElement().getId(), BpmnShape::getBounds));
  }

  private static Map<String, BpmnEdge> edgesByElementId(BpmnModelInstance model) {
    return model.getModelElementsByType(BpmnEdge.class).stream()
        .filter(edge -> edge.getBpmnElement() != null)
        .collect(Collectors.toMap(edge -> edge.getBpmnElement().getId(), edge -> edge));
  }

  private static BpmnShape shapeOf(BpmnModelInstance model, BaseElement element) {
    return model.getModelElementsByType(BpmnShape.class).stream()
        .filter(shape -> shape.getBpmnElement() == element)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no BPMNShape for " + element.getId()));
  }

  private static Set<String> ids(Collection<? extends BaseElement> elements) {
    return elements.stream().map(BaseElement::getId).collect(Collectors.toSet());
  }

  private static List<FlowNode> targetsOf(FlowNode node) {
    return node.getOutgoing().stream().map(SequenceFlow::getTarget).toList();
  }

  private static <T> T single(Collection<T> elements) {
    assertThat(elements).hasSize(1);
    return elements.iterator().next();
  }

  private static String conditionOf(SequenceFlow flow) {
    assertThat(flow.getConditionExpression()).as("condition of %s", flow.getId()).isNotNull();
    return flow.getConditionExpression().getTextContent().trim();
  }

  /** The target of the gateway's outgoing flow with exactly this condition. */
  private static FlowNode conditionalTarget(ExclusiveGateway gateway, String condition) {
    return gateway.getOutgoing().stream()
        .filter(flow -> flow.getConditionExpression() != null && condition.equals(conditionOf(flow)))
        .map(SequenceFlow::getTarget)
        .findFirst()
        .orElseThrow(() -> new AssertionError(gateway.getId() + " has no flow with " + condition));
  }

  private static List<String> inMappings(CallActivity callActivity) {
    return extensions(callActivity, CamundaIn.class).stream()
        .map(in -> in.getCamundaBusinessKey() != null ? "businessKey=" + in.getCamundaBusinessKey()
            : in.getCamundaVariables() != null ? "variables=" + in.getCamundaVariables()
            : in.getCamundaSourceExpression() != null
                ? "sourceExpression=" + in.getCamundaSourceExpression() + " -> " + in.getCamundaTarget()
                : "source=" + in.getCamundaSource() + " -> " + in.getCamundaTarget())
        .toList();
  }

  private static List<String> outMappings(CallActivity callActivity) {
    return extensions(callActivity, CamundaOut.class).stream()
        .map(out -> out.getCamundaSource() + " -> " + out.getCamundaTarget())
        .toList();
  }

  private static List<String> executionListeners(BaseElement element) {
    return extensions(element, CamundaExecutionListener.class).stream()
        .map(listener -> listener.getCamundaEvent() + ": " + listener.getCamundaExpression())
        .toList();
  }

  private static <T extends ModelElementInstance> List<T> extensions(BaseElement element, Class<T> type) {
    return Optional.ofNullable(element.getExtensionElements()).stream()
        .flatMap(ext -> ext.getElementsQuery().filterByType(type).list().stream())
        .toList();
  }

  /** Subprocesses reachable from the top-level start event, in breadth-first flow order. */
  private static List<SubProcess> subProcessesInFlowOrder(Process process) {
    Set<FlowNode> visited = new LinkedHashSet<>();
    Deque<FlowNode> queue = new ArrayDeque<>(process.getChildElementsByType(StartEvent.class));
    while (!queue.isEmpty()) {
      FlowNode node = queue.poll();
      if (visited.add(node)) {
        node.getOutgoing().forEach(flow -> queue.add(flow.getTarget()));
      }
    }
    return visited.stream()
        .filter(SubProcess.class::isInstance)
        .map(SubProcess.class::cast)
        .toList();
  }

  private static String phaseOf(SubProcess subProcess) {
    Optional<String> phase = extensions(subProcess, CamundaProperties.class).stream()
        .flatMap(props -> props.getCamundaProperties().stream())
        .filter(property -> PHASE_PROPERTY.equals(property.getCamundaName()))
        .map(CamundaProperty::getCamundaValue)
        .findFirst();
    return phase.orElseThrow(() -> new AssertionError(subProcess.getId() + " has no " + PHASE_PROPERTY));
  }

  /** {@code SubProcess_Green} → {@code Green}: the suffix every element of that phase shares. */
  private static String suffixOf(SubProcess phase) {
    assertThat(phase.getId()).startsWith("SubProcess_");
    return phase.getId().substring("SubProcess_".length());
  }

  private static boolean overlap(Bounds a, Bounds b) {
    return a.getX() < b.getX() + b.getWidth() && b.getX() < a.getX() + a.getWidth()
        && a.getY() < b.getY() + b.getHeight() && b.getY() < a.getY() + a.getHeight();
  }

  private static boolean contains(Bounds outer, Bounds inner) {
    return inner.getX() >= outer.getX() && inner.getY() >= outer.getY()
        && inner.getX() + inner.getWidth() <= outer.getX() + outer.getWidth()
        && inner.getY() + inner.getHeight() <= outer.getY() + outer.getHeight();
  }

  /** A waypoint touches a shape when it lies on or within its bounds (1px tolerance). */
  private static boolean touches(Bounds bounds, Waypoint point) {
    double tolerance = 1;
    return point.getX() >= bounds.getX() - tolerance
        && point.getX() <= bounds.getX() + bounds.getWidth() + tolerance
        && point.getY() >= bounds.getY() - tolerance
        && point.getY() <= bounds.getY() + bounds.getHeight() + tolerance;
  }
}
