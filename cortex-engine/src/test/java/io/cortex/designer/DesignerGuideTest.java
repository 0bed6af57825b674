package io.cortex.designer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.config.ConfigLoader;
import io.cortex.testing.ProjectRoot;
import io.cortex.testing.TempRepo;
import io.cortex.testing.TestEngines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example process of {@code docs/designers.md} is what the templates produce, deploys on a
 * Cortex engine, runs its phase with the gate, recovers through {@code cortex-recovery}, and a
 * bad phase name in it is rejected at deployment naming the element.
 */
class DesignerGuideTest {

  static final Path GUIDE = ProjectRoot.resolve("docs/designers.md");
  static final String PROCESS_KEY = "my-feature";

  /** The gate of the guide's phase: passes once the work produced build.ok. */
  static final String CONFIG = """
      gates:
        workflows:
          my-feature:
            BUILD: { command: "test -f build.ok", expect: PASS }
      """;

  @TempDir
  Path temp;

  /** One engine for the class (the shipped workflows and the guide's process deployed): engines are slow to start. */
  private static Cortex cortex;
  private static ProcessEngine engine;

  @BeforeAll
  static void startEngine() throws IOException {
    cortex = TestEngines.cortex(ConfigLoader.parse(CONFIG, "designers.md test"));
    engine = cortex.engine();
    deploy(guideBpmn());
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  static String guideBpmn() throws IOException {
    String guide = Files.readString(GUIDE);
    Matcher xml = Pattern.compile("```xml\\n(<\\?xml.*?)```", Pattern.DOTALL).matcher(guide);
    assertThat(xml.find()).as("an ```xml block with a whole BPMN file in " + GUIDE).isTrue();
    return xml.group(1);
  }

  static BpmnModelInstance model(String xml) {
    return Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static void deploy(String xml) {
    engine.getRepositoryService().createDeployment().addString("my-feature.bpmn", xml).deploy();
  }

  @Test
  void theGuidesProcessIsWhatTheTemplatesProduce() throws IOException {
    BpmnModelInstance model = model(guideBpmn());
    JsonNode recovery = ElementTemplatesTest.template(ElementTemplatesTest.RECOVERY_TEMPLATE);
    JsonNode gate = ElementTemplatesTest.template(ElementTemplatesTest.GATE_TEMPLATE);

    // every templated element names a template and version that exist
    for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
      String id = element.getAttributeValueNs(ElementTemplatesTest.CAMUNDA_NS, "modelerTemplate");
      if (id != null) {
        JsonNode template = ElementTemplatesTest.template(id);
        assertThat(element.getAttributeValueNs(ElementTemplatesTest.CAMUNDA_NS, "modelerTemplateVersion"))
            .as(element.getId()).isEqualTo(template.path("version").asText());
      }
    }
    assertThat(ElementTemplatesTest.phaseOf(model.getModelElementById("SubProcess_Build"))).isEqualTo("BUILD");
    ServiceTask verify = model.getModelElementById("Task_VerifyBuild");
    assertThat(verify.getCamundaDelegateExpression())
        .isEqualTo(ElementTemplatesTest.hiddenValue(gate, "property", "camunda:delegateExpression"));
    assertThat(verify.isCamundaAsyncBefore()).isTrue();
    CallActivity recover = model.getModelElementById("CallActivity_RecoverBuild");
    assertThat(recover.getCalledElement()).isEqualTo(ElementTemplatesTest.hiddenValue(recovery, "property", "calledElement"));
    assertThat(ElementTemplatesTest.mappingsOf(recover))
        .isEqualTo(ElementTemplatesTest.mappingsOf(recovery, Map.of("cortexFailedPhase", "BUILD")));
  }

  @Test
  void theGuidesProcessRunsItsPhaseThroughTheGateToTheCheckpoint() throws IOException {
    // given
    TempRepo repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("init");
    cortex.startSession(PROCESS_KEY, "feature-001", repo.dir(), Map.of());
    assertThat(cortex.status("feature-001").activePhases()).containsExactly("BUILD");

    // when: the work is done and the gate finds it
    repo.write("build.ok", "yes\n");
    cortex.completePhase("feature-001", "BUILD", Map.of("tests", 42));

    // then
    assertThat(cortex.status("feature-001").running()).isFalse();
    Checkpoint build = cortex.checkpoint("feature-001", "build-1");
    assertThat(build.phase()).isEqualTo("BUILD");
    assertThat(build.metrics()).containsEntry("gate_passed", true);
  }

  @Test
  void aFailedPhaseOfTheGuidesProcessIsRecoveredAndWaitsInThePhaseAgain() throws IOException {
    // given
    TempRepo repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("init");
    cortex.startSession(PROCESS_KEY, "feature-002", repo.dir(), Map.of());

    // when
    cortex.failPhase("feature-002", "BUILD", "PHASE_FAILED", "the build broke");

    // then: recovered through the templated call activity, back in BUILD
    ProcessInstance parent = engine.getRuntimeService().createProcessInstanceQuery()
        .processDefinitionKey(PROCESS_KEY).processInstanceBusinessKey("feature-002").singleResult();
    assertThat(parent).isNotNull();
    assertThat(engine.getRuntimeService().getVariable(parent.getId(), "recoveryOutcome")).isEqualTo("RECOVERED");
    assertThat(cortex.status("feature-002").activePhases()).containsExactly("BUILD");
    List<HistoricVariableInstance> failedPhase = engine.getHistoryService().createHistoricVariableInstanceQuery()
        .variableName("cortexFailedPhase").list().stream()
        .filter(v -> "feature-002".equals(businessKeyOf(v.getProcessInstanceId()))).toList();
    assertThat(failedPhase).extracting(HistoricVariableInstance::getValue).contains("BUILD");

    // when: the phase is done after all
    repo.write("build.ok", "yes\n");
    cortex.completePhase("feature-002", "BUILD", Map.of());

    // then
    assertThat(cortex.status("feature-002").running()).isFalse();
    assertThat(cortex.checkpoints("feature-002")).extracting(Checkpoint::checkpointId).contains("build-1");
  }

  @Test
  void aBadPhaseNameInTheGuidesProcessIsRejectedAtDeploymentNamingTheElement() throws IOException {
    String bad = guideBpmn().replace("name=\"cortex.phase\" value=\"BUILD\"", "name=\"cortex.phase\" value=\"BUILD PHASE\"");
    assertThat(bad).contains("BUILD PHASE");
    long versions = engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).count();

    Throwable failure = catchThrowable(() -> deploy(bad));

    assertThat(failure).isNotNull().hasMessageContaining("SubProcess_Build").hasMessageContaining("BUILD PHASE");
    assertThat(engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).count())
        .as("nothing deployed").isEqualTo(versions);
  }

  private static String businessKeyOf(String processInstanceId) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(processInstanceId)
        .singleResult().getBusinessKey();
  }
}
