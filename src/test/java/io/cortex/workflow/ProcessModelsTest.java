package io.cortex.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the three shipped Cortex process models: schema-valid, fully laid out for Modeler/Cockpit,
 * phases declared as {@code cortex.phase} subprocesses in flow order, and accepted by a real engine.
 */
class ProcessModelsTest {

  private static final Path PROCESSES = Path.of("processes");
  private static final String PHASE_PROPERTY = "cortex.phase";
  private static final String CANDIDATE_GROUP = "cortex-developers";

  private static ProcessEngine engine;

  /** One shipped model and what it must declare. */
  record ModelSpec(String file, String processId, List<String> phases) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<ModelSpec> models() {
    return Stream.of(
        new ModelSpec("planning.bpmn", "cortex-planning", List.of("DoR", "Implementation", "DoD")),
        new ModelSpec("tdd.bpmn", "cortex-tdd", List.of("RED", "GREEN", "REFACTOR")),
        new ModelSpec("system-alignment.bpmn", "cortex-system-alignment", List.of("Discovery", "Validation")));
  }

  @BeforeAll
  static void startEngine() {
    String name = "models-" + UUID.randomUUID();
    StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
    configuration.setProcessEngineName(name);
    configuration.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    configuration.setJobExecutorActivate(false);
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    engine = configuration.buildProcessEngine();
    BpmnAwareTests.init(engine);
  }

  @AfterAll
  static void closeEngine() {
    BpmnAwareTests.reset();
    if (engine != null) {
      engine.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Static model checks
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void modelIsValidAgainstTheBpmnSchema(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);

    // when / then
    assertThatCode(() -> Bpmn.validateModel(model)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
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
  @MethodSource("models")
  void diagramCarriesLayoutForEveryFlowNodeAndSequenceFlow(ModelSpec spec) {
    // given
    BpmnModelInstance model = read(spec);
    Map<String, Bounds> shapes = shapesByElementId(model);
    Map<String, BpmnEdge> edges = model.getModelElementsByType(BpmnEdge.class).stream()
        .filter(edge -> edge.getBpmnElement() != null)
        .collect(Collectors.toMap(edge -> edge.getBpmnElement().getId(), edge -> edge));

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
  @MethodSource("models")
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
    assertThat(model.getModelElementsByType(SubProcess.class)).hasSameSizeAs(spec.phases());
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

  // ---------------------------------------------------------------------------------------------
  // Engine checks
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
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
  void tddLoopsBackToRedWhenAnotherCycleIsRequestedAndEndsWhenItIsNot() throws IOException {
    // given
    deploy(PROCESSES.resolve("tdd.bpmn"));
    ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("cortex-tdd");
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRed");
    complete(task(instance));
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen");
    complete(task(instance));
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRefactor");

    // when: the developer asks for another cycle (a per-completion decision, so transient)
    complete(task(instance), Variables.createVariables()
        .putValueTyped("anotherCycle", Variables.booleanValue(true, true)));

    // then: back at RED, and the decision did not stick to the instance
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRed");
    BpmnAwareTests.assertThat(instance).variables().doesNotContainKey("anotherCycle");

    // when: second cycle, refactor completed without the variable
    complete(task(instance));
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteGreen");
    complete(task(instance));
    BpmnAwareTests.assertThat(instance).isWaitingAt("Task_CompleteRefactor");
    complete(task(instance));

    // then: the default "no" flow ends the session after two full cycles
    BpmnAwareTests.assertThat(instance).isEnded().hasPassed("EndEvent_SessionDone");
    for (String taskId : List.of("Task_CompleteRed", "Task_CompleteGreen", "Task_CompleteRefactor")) {
      long completions = engine.getHistoryService().createHistoricActivityInstanceQuery()
          .processInstanceId(instance.getId())
          .activityId(taskId)
          .finished()
          .count();
      assertThat(completions).as("completions of %s", taskId).isEqualTo(2);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private static BpmnModelInstance read(ModelSpec spec) {
    return Bpmn.readModelFromFile(PROCESSES.resolve(spec.file()).toFile());
  }

  private static Deployment deploy(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return engine.getRepositoryService().createDeployment()
          .name("models-test " + file.getFileName())
          .addInputStream(file.getFileName().toString(), in)
          .deploy();
    }
  }

  private static Map<String, Bounds> shapesByElementId(BpmnModelInstance model) {
    return model.getModelElementsByType(BpmnShape.class).stream()
        .filter(shape -> shape.getBpmnElement() != null)
        .collect(Collectors.toMap(shape -> shape.getBpmnElement().getId(), BpmnShape::getBounds));
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
    Optional<String> phase = Optional.ofNullable(subProcess.getExtensionElements()).stream()
        .flatMap(ext -> ext.getElementsQuery().filterByType(CamundaProperties.class).list().stream())
        .flatMap(props -> props.getCamundaProperties().stream())
        .filter(property -> PHASE_PROPERTY.equals(property.getCamundaName()))
        .map(CamundaProperty::getCamundaValue)
        .findFirst();
    return phase.orElseThrow(() -> new AssertionError(subProcess.getId() + " has no " + PHASE_PROPERTY));
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
