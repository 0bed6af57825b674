package io.cortex.designer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.cortex.config.RecoveryStrategy;
import io.cortex.base.PhaseProperty;
import io.cortex.testing.ProjectRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.impl.BpmnModelConstants;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Camunda Modeler element templates in {@code processes/element-templates/}: each file is valid
 * against the official Camunda 7 element template JSON Schema (vendored in
 * {@code src/test/resources/element-templates-schema/}, never fetched), and the templates produce
 * exactly what the engine and the shipped {@code tdd.bpmn} expect.
 */
class ElementTemplatesTest {

  static final Path TEMPLATE_DIR = ProjectRoot.resolve("processes/element-templates");
  static final Path TDD_BPMN = ProjectRoot.resolve("processes/tdd.bpmn");
  static final String SCHEMA_URL = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";
  static final String SCHEMA_RESOURCE = "element-templates-schema/schema.json";
  static final String CAMUNDA_NS = BpmnModelConstants.CAMUNDA_NS;

  static final String PHASE_TEMPLATE = "io.cortex.phase";
  static final String RECOVERY_TEMPLATE = "io.cortex.recovery";
  static final String GATE_TEMPLATE = "io.cortex.gate";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonSchema schema;
  private static VersionFlag schemaDraft;

  @BeforeAll
  static void loadSchema() throws IOException {
    JsonNode schemaNode;
    try (InputStream in = ElementTemplatesTest.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      assertThat(in).as("vendored schema on the test classpath: " + SCHEMA_RESOURCE).isNotNull();
      schemaNode = JSON.readTree(in);
    }
    // The schema says which draft it is written in; use exactly that one.
    schemaDraft = SpecVersionDetector.detect(schemaNode);
    // The templates' own $schema URL resolves to the vendored copy: the build never goes online.
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(schemaDraft, builder -> builder
        .schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_URL, "classpath:" + SCHEMA_RESOURCE)));
    schema = factory.getSchema(SchemaLocation.of(SCHEMA_URL));
    schema.initializeValidators();
  }

  // --- the JSON Schema ---

  @Test
  void theVendoredSchemaIsTheDraft07CamundaPlatformSchema() {
    assertThat(schemaDraft).isEqualTo(VersionFlag.V7);
    assertThat(schema.getSchemaNode().path("$id").asText()).isEqualTo("http://camunda.org/schema/element-templates/1.0");
    // Camunda 7 bindings are known to it (the Camunda 8 schema has zeebe:* bindings instead).
    assertThat(bindingTypesOfSchema()).contains("camunda:property", "camunda:in", "camunda:in:businessKey", "camunda:out");
  }

  static Stream<Path> templateFiles() throws IOException {
    try (Stream<Path> files = Files.list(TEMPLATE_DIR)) {
      List<Path> json = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
      assertThat(json).as("template files in " + TEMPLATE_DIR).isNotEmpty();
      return json.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templateFiles")
  void everyTemplateFileIsValidAgainstTheSchema(Path file) throws IOException {
    Set<ValidationMessage> messages = schema.validate(JSON.readTree(file.toFile()));

    assertThat(messages).as("schema violations in " + file).extracting(ValidationMessage::getMessage).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templateFiles")
  void everyTemplateDeclaresTheCamunda7SchemaAndAnIdVersionAndDescription(Path file) throws IOException {
    for (JsonNode template : templatesIn(file)) {
      assertThat(template.path("$schema").asText()).as("$schema of " + template.path("id")).isEqualTo(SCHEMA_URL);
      assertThat(template.path("id").asText()).startsWith("io.cortex.");
      assertThat(template.path("version").isInt()).as("version of " + template.path("id")).isTrue();
      assertThat(template.path("description").asText()).isNotBlank();
    }
  }

  @Test
  void theThreeTemplatesArePresentEachOnceByIdAndVersion() throws IOException {
    List<String> keys = allTemplates().stream()
        .map(t -> t.path("id").asText() + "@" + t.path("version").asText()).toList();

    assertThat(keys).doesNotHaveDuplicates();
    assertThat(keys.stream().map(k -> k.substring(0, k.indexOf('@'))))
        .contains(PHASE_TEMPLATE, RECOVERY_TEMPLATE, GATE_TEMPLATE);
  }

  // --- the validation can fail ---

  static Stream<Arguments> brokenTemplates() throws IOException {
    return Stream.of(
        Arguments.of("missing id", broken(RECOVERY_TEMPLATE, t -> t.remove("id")), "id"),
        Arguments.of("missing appliesTo", broken(PHASE_TEMPLATE, t -> t.remove("appliesTo")), "appliesTo"),
        Arguments.of("appliesTo without namespace", broken(PHASE_TEMPLATE,
            t -> ((ArrayNode) t.get("appliesTo")).add("SubProcess")), "appliesTo"),
        Arguments.of("camunda:property binding without name", broken(PHASE_TEMPLATE,
            t -> ((ObjectNode) t.get("properties").get(0).get("binding")).remove("name")), "name"),
        Arguments.of("camunda:in without target or variables", broken(RECOVERY_TEMPLATE,
            t -> ((ObjectNode) propertyBoundTo(t, "camunda:in", "cortexFailedPhase").get("binding")).remove("target")),
            "target"),
        Arguments.of("Dropdown without choices", broken(RECOVERY_TEMPLATE,
            t -> ((ObjectNode) propertyBoundTo(t, "camunda:in", "recoveryStrategy")).remove("choices")), "choices"),
        Arguments.of("Boolean type on a camunda:in binding", broken(RECOVERY_TEMPLATE,
            t -> ((ObjectNode) propertyBoundTo(t, "camunda:in", "cortexFailedPhase")).put("type", "Boolean")), "type"),
        Arguments.of("relative documentationRef", broken(PHASE_TEMPLATE,
            t -> t.put("documentationRef", "../../docs/designers.md")), "documentationRef"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenTemplates")
  void aBrokenTemplateFailsValidation(String what, JsonNode brokenFile, String mentioned) {
    Set<ValidationMessage> messages = schema.validate(brokenFile);

    assertThat(messages).as(what).isNotEmpty();
    assertThat(messages).as(what).extracting(ValidationMessage::getMessage)
        .anySatisfy(message -> assertThat(message).contains(mentioned));
  }

  // --- Cortex phase ---

  @Test
  void thePhaseTemplateWritesTheCortexPhasePropertyAndKeepsTheOtherEntriesVisible() throws IOException {
    JsonNode template = template(PHASE_TEMPLATE);
    JsonNode phase = template.get("properties").get(0);

    assertThat(template.get("properties")).hasSize(1);
    assertThat(phase.path("binding").path("type").asText()).isEqualTo("camunda:property");
    assertThat(phase.path("binding").path("name").asText()).isEqualTo(PhaseProperty.NAME);
    assertThat(phase.path("type").asText()).isEqualTo("String");
    assertThat(phase.path("constraints").path("notEmpty").asBoolean()).isTrue();
    assertThat(phase.path("constraints").path("pattern").path("message").asText()).isNotBlank();
    // a phase is a user task, subprocess, ...: its own fields (assignee, forms, ...) must stay editable
    assertThat(template.path("entriesVisible").asBoolean()).isTrue();
    assertThat(texts(template.get("appliesTo"))).containsExactlyInAnyOrder("bpmn:SubProcess", "bpmn:Task", "bpmn:CallActivity");
  }

  @ParameterizedTest(name = "accepts \"{0}\"")
  @ValueSource(strings = {"GREEN", "dor_1", "DoR", "Review", "REFACTOR", "9", "a-b_c",
      "A2345678901234567890123456789012345678901234567890"})
  void thePhasePatternAcceptsGoodNames(String name) throws IOException {
    assertThat(modelerAccepts(phaseConstraints(), name)).isTrue();
    assertThat(PhaseProperty.isValidPhaseName(name)).as("the engine's rule agrees").isTrue();
  }

  @ParameterizedTest(name = "rejects \"{0}\"")
  @ValueSource(strings = {"GREEN PHASE", "../x", "", " ", "_x", "-x", "GREEN\n", "grün", "a/b", "x.y",
      "A23456789012345678901234567890123456789012345678901"})
  void thePhasePatternRejectsBadNames(String name) throws IOException {
    assertThat(modelerAccepts(phaseConstraints(), name)).isFalse();
    assertThat(PhaseProperty.isValidPhaseName(name)).as("the engine's rule agrees").isFalse();
  }

  @Test
  void thePhaseNamesOfTddBpmnPassThePhasePattern() throws IOException {
    BpmnModelInstance tdd = Bpmn.readModelFromFile(TDD_BPMN.toFile());
    List<String> phases = tdd.getModelElementsByType(BaseElement.class).stream()
        .map(element -> phaseOf(element)).filter(Objects::nonNull).toList();

    assertThat(phases).contains("RED", "GREEN", "REFACTOR")
        .allSatisfy(phase -> assertThat(modelerAccepts(phaseConstraints(), phase)).as(phase).isTrue());
  }

  // --- Cortex recovery ---

  static Stream<String> tddRecoveryCallActivities() {
    BpmnModelInstance tdd = Bpmn.readModelFromFile(TDD_BPMN.toFile());
    List<String> ids = tdd.getModelElementsByType(CallActivity.class).stream()
        .filter(callActivity -> "cortex-recovery".equals(callActivity.getCalledElement()))
        .map(CallActivity::getId).toList();
    assertThat(ids).contains("CallActivity_RecoverGreen");
    return ids.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tddRecoveryCallActivities")
  void theRecoveryTemplateProducesTheMappingsOfTddBpmn(String callActivityId) throws IOException {
    // given
    JsonNode template = template(RECOVERY_TEMPLATE);
    BpmnModelInstance tdd = Bpmn.readModelFromFile(TDD_BPMN.toFile());
    CallActivity callActivity = tdd.getModelElementById(callActivityId);
    List<Mapping> inBpmn = mappingsOf(callActivity);
    String failedPhase = inBpmn.stream().filter(m -> "cortexFailedPhase".equals(m.attributes().get("target")))
        .map(m -> m.attributes().get("sourceExpression")).findFirst().orElseThrow();

    // when: the template applied as the Modeler does, with the failed phase typed in, the
    // strategy left at "Configured"
    List<Mapping> fromTemplate = mappingsOf(template, Map.of("cortexFailedPhase", failedPhase));

    // then
    assertThat(callActivity.getCalledElement()).isEqualTo(hiddenValue(template, "property", "calledElement"));
    assertThat(withoutStrategyOverride(fromTemplate)).as("camunda:in/out of " + callActivityId).isEqualTo(inBpmn);
    // variables="all" comes before the named ins, so the named ones win
    assertThat(fromTemplate.get(0)).isEqualTo(new Mapping("in", Map.of("businessKey", "#{execution.processBusinessKey}")));
    assertThat(fromTemplate.get(1)).isEqualTo(new Mapping("in", Map.of("variables", "all")));
    // the failed phase typed in is the phase whose boundary event leads here
    assertThat(failedPhase).isEqualTo(phaseFailingInto(tdd, callActivity));
    assertThat(modelerAccepts(propertyBoundTo(template, "camunda:in", "cortexFailedPhase").path("constraints"), failedPhase))
        .isTrue();
  }

  @Test
  void theRecoveryTemplateAsksOnlyForTheFailedPhaseAndTheStrategy() throws IOException {
    JsonNode template = template(RECOVERY_TEMPLATE);
    List<String> visible = StreamSupport.stream(template.get("properties").spliterator(), false)
        .filter(p -> !"Hidden".equals(p.path("type").asText())).map(p -> p.path("label").asText()).toList();

    assertThat(visible).containsExactly("Failed phase", "Strategy override");
    assertThat(propertyBoundTo(template, "camunda:in", "cortexFailedPhase").path("editable").asBoolean(true)).isTrue();
    assertThat(texts(template.get("appliesTo"))).containsExactly("bpmn:CallActivity");
  }

  @Test
  void theStrategyOverrideOffersConfiguredAndEveryStrategy() throws IOException {
    JsonNode strategy = propertyBoundTo(template(RECOVERY_TEMPLATE), "camunda:in", "recoveryStrategy");
    List<String> values = StreamSupport.stream(strategy.get("choices").spliterator(), false)
        .map(choice -> choice.path("value").asText()).toList();

    assertThat(strategy.path("type").asText()).isEqualTo("Dropdown");
    assertThat(strategy.path("binding").path("expression").asBoolean()).isTrue();
    assertThat(strategy.path("value").asText()).as("default: Configured").isEqualTo(values.get(0))
        .isEqualTo("${execution.getVariable('recoveryStrategy')}");
    assertThat(values.subList(1, values.size())).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(RecoveryStrategy.values()).map(Enum::name).toList());
  }

  /** Variables a stub {@code cortex-recovery} saw, by business key of the caller. */
  static final Map<String, Map<String, Object>> SEEN_BY_RECOVERY = new ConcurrentHashMap<>();

  /** Start listener of the stub recovery process: records what was passed in, answers like the real one. */
  public static final class StubRecovery implements ExecutionListener {
    @Override
    public void notify(DelegateExecution execution) {
      Map<String, Object> seen = new TreeMap<>();
      execution.getVariables().forEach((name, value) -> seen.put(name, value == null ? "<null>" : value));
      seen.put("<businessKey>", execution.getProcessBusinessKey());
      SEEN_BY_RECOVERY.put(execution.getProcessBusinessKey(), seen);
      execution.setVariable("recoveryOutcome", "RECOVERED");
      execution.setVariable("recoveredCheckpoint", execution.getVariable("cortexFailedPhase").toString().toLowerCase() + "-1");
    }
  }

  static Stream<Arguments> strategyChoices() {
    String configured = "${execution.getVariable('recoveryStrategy')}";
    return Stream.of(
        Arguments.of("Configured, nothing set", configured, null, "<null>"),
        Arguments.of("Configured, the process set one", configured, "PROGRESSIVE", "PROGRESSIVE"),
        Arguments.of("DECOMPOSE over the process's own", "DECOMPOSE", "IMMEDIATE", "DECOMPOSE"),
        Arguments.of("IMMEDIATE", "IMMEDIATE", null, "IMMEDIATE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategyChoices")
  void aCallActivityMadeFromTheTemplateRunsOnTheEngine(String what, String choice, String processVariable,
      String expectedStrategy) throws IOException {
    // given: a designer's process whose call activity is made from the template, and a stub
    // cortex-recovery that records what it receives
    JsonNode template = template(RECOVERY_TEMPLATE);
    BpmnModelInstance caller = Bpmn.createExecutableProcess("designer-process").camundaHistoryTimeToLive(1)
        .startEvent("Start").callActivity("CallActivity_Recover").userTask("Task_After").endEvent("End").done();
    CallActivity callActivity = caller.getModelElementById("CallActivity_Recover");
    callActivity.setCalledElement(hiddenValue(template, "property", "calledElement"));
    apply(callActivity, mappingsOf(template, Map.of("cortexFailedPhase", "GREEN", "recoveryStrategy", choice)));
    BpmnModelInstance stub = Bpmn.createExecutableProcess("cortex-recovery").camundaHistoryTimeToLive(1)
        .startEvent("StubStart").camundaExecutionListenerClass("start", StubRecovery.class).endEvent("StubEnd").done();
    String businessKey = "designer-" + UUID.randomUUID();
    Map<String, Object> variables = new HashMap<>();
    variables.put("repositoryPath", "/work/app");
    if (processVariable != null) {
      variables.put("recoveryStrategy", processVariable);
    }

    ProcessEngine engine = plainEngine();
    try {
      engine.getRepositoryService().createDeployment()
          .addModelInstance("designer-process.bpmn", caller).addModelInstance("stub-recovery.bpmn", stub).deploy();

      // when
      ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("designer-process", businessKey,
          variables);

      // then: the recovery process got the session, the phase, the process and the strategy ...
      Map<String, Object> seen = SEEN_BY_RECOVERY.get(businessKey);
      assertThat(seen).isNotNull();
      assertThat(seen).containsEntry("<businessKey>", businessKey)
          .containsEntry("repositoryPath", "/work/app")
          .containsEntry("cortexFailedPhase", "GREEN")
          .containsEntry("cortexFailedProcess", "designer-process");
      assertThat(seen.getOrDefault("recoveryStrategy", "<null>")).isEqualTo(expectedStrategy);
      // ... and the caller got the outcome back
      assertThat(engine.getRuntimeService().getVariables(instance.getId()))
          .containsEntry("recoveryOutcome", "RECOVERED").containsEntry("recoveredCheckpoint", "green-1");
    } finally {
      engine.close();
    }
  }

  // --- Cortex gate ---

  @Test
  void theGateTemplateMatchesTheGateTasksOfTddBpmn() throws IOException {
    JsonNode template = template(GATE_TEMPLATE);
    BpmnModelInstance tdd = Bpmn.readModelFromFile(TDD_BPMN.toFile());
    List<ServiceTask> gates = tdd.getModelElementsByType(ServiceTask.class).stream()
        .filter(task -> "${cortexGate}".equals(task.getCamundaDelegateExpression())).toList();

    assertThat(template.path("elementType").path("value").asText()).isEqualTo("bpmn:ServiceTask");
    assertThat(hiddenValue(template, "property", "camunda:delegateExpression")).isEqualTo("${cortexGate}");
    assertThat(propertyBound(template, "property", "camunda:asyncBefore").path("value").asBoolean()).isTrue();
    assertThat(gates).hasSize(3).allSatisfy(gate -> {
      assertThat(gate.isCamundaAsyncBefore()).as(gate.getId()).isTrue();
      assertThat(gate.getParentElement()).as(gate.getId() + " sits inside its phase").isInstanceOf(SubProcess.class);
      assertThat(phaseOf((BaseElement) gate.getParentElement())).isNotNull();
    });
  }

  // --- helpers: templates ---

  static List<JsonNode> templatesIn(Path file) throws IOException {
    JsonNode node = JSON.readTree(file.toFile());
    return node.isArray() ? StreamSupport.stream(node.spliterator(), false).toList() : List.of(node);
  }

  static List<JsonNode> allTemplates() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (Path file : templateFiles().toList()) {
      all.addAll(templatesIn(file));
    }
    return all;
  }

  static JsonNode template(String id) throws IOException {
    return allTemplates().stream().filter(t -> id.equals(t.path("id").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no element template with id " + id + " in " + TEMPLATE_DIR));
  }

  /** A template file (an array with one template) holding a copy of template {@code id}, changed. */
  static JsonNode broken(String id, Consumer<ObjectNode> change) throws IOException {
    ObjectNode copy = template(id).deepCopy();
    change.accept(copy);
    return JSON.createArrayNode().add(copy);
  }

  static JsonNode propertyBound(JsonNode template, String bindingType, String name) {
    return StreamSupport.stream(template.get("properties").spliterator(), false)
        .filter(p -> bindingType.equals(p.path("binding").path("type").asText())
            && name.equals(p.path("binding").path("name").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + bindingType + " binding " + name));
  }

  static String hiddenValue(JsonNode template, String bindingType, String name) {
    JsonNode property = propertyBound(template, bindingType, name);
    assertThat(property.path("type").asText()).as(name + " is fixed").isEqualTo("Hidden");
    return property.path("value").asText();
  }

  static JsonNode propertyBoundTo(JsonNode template, String bindingType, String target) {
    return StreamSupport.stream(template.get("properties").spliterator(), false)
        .filter(p -> bindingType.equals(p.path("binding").path("type").asText())
            && target.equals(p.path("binding").path("target").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + bindingType + " binding to " + target));
  }

  static JsonNode phaseConstraints() throws IOException {
    return propertyBound(template(PHASE_TEMPLATE), "camunda:property", PhaseProperty.NAME).path("constraints");
  }

  /**
   * Whether the Modeler accepts a value for a field with these constraints: notEmpty, maxLength,
   * and the pattern as JavaScript's {@code new RegExp(pattern).test(value)} does (a search, where
   * {@code $} means the very end; Java's {@code $} also matches before a final line break).
   */
  static boolean modelerAccepts(JsonNode constraints, String value) {
    if (constraints.path("notEmpty").asBoolean() && value.isBlank()) {
      return false;
    }
    if (constraints.has("maxLength") && value.length() > constraints.get("maxLength").asInt()) {
      return false;
    }
    JsonNode pattern = constraints.path("pattern");
    String regex = pattern.isTextual() ? pattern.asText() : pattern.path("value").asText();
    assertThat(regex).as("pattern is anchored, the Modeler searches").startsWith("^").endsWith("$");
    Matcher matcher = Pattern.compile(regex).matcher(value);
    return matcher.find() && (!regex.endsWith("$") || matcher.end() == value.length());
  }

  static Set<String> bindingTypesOfSchema() {
    Set<String> types = new HashSet<>();
    schema.getSchemaNode().findParents("enum").forEach(parent -> {
      if (parent.path("$id").asText().equals("#/properties/property/binding/type")) {
        texts(parent.get("enum")).forEach(types::add);
      }
    });
    return types;
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  // --- helpers: camunda:in / camunda:out ---

  /** One camunda:in or camunda:out element: its kind and its attributes. */
  record Mapping(String kind, Map<String, String> attributes) {
    Mapping {
      attributes = new TreeMap<>(attributes);
    }
  }

  /**
   * The camunda:in / camunda:out elements the Modeler writes for the template's properties, in
   * order, following bpmn-js-element-templates' rules for each binding; {@code input} holds what
   * the designer chose for the visible properties (by camunda:in target).
   */
  static List<Mapping> mappingsOf(JsonNode template, Map<String, String> input) {
    List<Mapping> mappings = new ArrayList<>();
    for (JsonNode property : template.get("properties")) {
      JsonNode binding = property.get("binding");
      String type = binding.path("type").asText();
      String target = binding.path("target").asText(null);
      String value = target != null && input.containsKey(target) ? input.get(target) : property.path("value").asText(null);
      Map<String, String> attributes = new TreeMap<>();
      switch (type) {
        case "camunda:in:businessKey" -> attributes.put("businessKey", value);
        case "camunda:in" -> {
          boolean expression = binding.path("expression").asBoolean(false);
          String variables = binding.path("variables").asText(null);
          if (target == null && !expression && "all".equals(variables)) {
            attributes.put("variables", "all");
          } else if (target != null && variables == null) {
            attributes.put("target", target);
            attributes.put(expression ? "sourceExpression" : "source", value);
          } else {
            throw new AssertionError("camunda:in binding this test does not model: " + binding);
          }
        }
        case "camunda:out" -> {
          String source = binding.path("source").asText(null);
          if (source == null || binding.has("sourceExpression") || binding.has("variables")) {
            throw new AssertionError("camunda:out binding this test does not model: " + binding);
          }
          attributes.put("source", source);
          attributes.put("target", value);
        }
        default -> {
          continue;
        }
      }
      mappings.add(new Mapping(type.startsWith("camunda:in") ? "in" : "out", attributes));
    }
    return mappings;
  }

  static List<Mapping> withoutStrategyOverride(List<Mapping> mappings) {
    return mappings.stream().filter(m -> !"recoveryStrategy".equals(m.attributes().get("target"))).toList();
  }

  /** The camunda:in / camunda:out elements of a call activity, in document order. */
  static List<Mapping> mappingsOf(CallActivity callActivity) {
    List<Mapping> mappings = new ArrayList<>();
    for (ModelElementInstance element : callActivity.getExtensionElements().getElements()) {
      String kind = element instanceof CamundaIn ? "in" : element instanceof CamundaOut ? "out" : null;
      if (kind == null) {
        continue;
      }
      Map<String, String> attributes = new TreeMap<>();
      for (String name : List.of("businessKey", "variables", "source", "sourceExpression", "target", "local")) {
        String value = element.getAttributeValueNs(CAMUNDA_NS, name);
        if (value != null) {
          attributes.put(name, value);
        }
      }
      mappings.add(new Mapping(kind, attributes));
    }
    return mappings;
  }

  static void apply(CallActivity callActivity, List<Mapping> mappings) {
    BpmnModelInstance model = (BpmnModelInstance) callActivity.getModelInstance();
    ExtensionElements extensions = callActivity.getExtensionElements() != null ? callActivity.getExtensionElements()
        : model.newInstance(ExtensionElements.class);
    callActivity.setExtensionElements(extensions);
    for (Mapping mapping : mappings) {
      ModelElementInstance element = "in".equals(mapping.kind()) ? model.newInstance(CamundaIn.class)
          : model.newInstance(CamundaOut.class);
      // in the new element's own namespace (Camunda's, or Operaton's in the Operaton build), as Modeler writes them
      String namespace = element.getElementType().getTypeNamespace();
      mapping.attributes().forEach((name, value) -> element.setAttributeValueNs(namespace, name, value));
      extensions.addChildElement(element);
    }
  }

  // --- helpers: BPMN ---

  static String phaseOf(BaseElement element) {
    if (element.getExtensionElements() == null) {
      return null;
    }
    return element.getExtensionElements().getElementsQuery()
        .filterByType(CamundaProperties.class).list().stream()
        .flatMap(properties -> properties.getCamundaProperties().stream())
        .filter(property -> PhaseProperty.NAME.equals(property.getCamundaName()))
        .map(property -> property.getCamundaValue()).findFirst().orElse(null);
  }

  /** The phase of the activity whose error boundary event's flow leads into the call activity. */
  static String phaseFailingInto(BpmnModelInstance model, CallActivity callActivity) {
    List<String> phases = callActivity.getIncoming().stream().map(flow -> flow.getSource())
        .filter(BoundaryEvent.class::isInstance).map(source -> ((BoundaryEvent) source).getAttachedTo())
        .map(ElementTemplatesTest::phaseOf).filter(Objects::nonNull).distinct().collect(Collectors.toList());
    assertThat(phases).as("phases failing into " + callActivity.getId()).hasSize(1);
    return phases.get(0);
  }

  // --- helpers: engine ---

  /** A plain in-memory engine: the templates' mappings are standard Camunda, no Cortex plugin needed. */
  static ProcessEngine plainEngine() {
    StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
    configuration.setProcessEngineName("designer-" + UUID.randomUUID());
    configuration.setJdbcUrl("jdbc:h2:mem:designer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_NONE);
    configuration.setJobExecutorActivate(false);
    configuration.setMetricsEnabled(false);
    configuration.setDbMetricsReporterActivate(false);
    return configuration.buildProcessEngine();
  }
}
