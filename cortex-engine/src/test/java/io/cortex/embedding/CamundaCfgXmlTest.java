package io.cortex.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Way in number 2 of docs/embedding.md: a plain Java engine built from a {@code camunda.cfg.xml} (Camunda's
 * Spring-beans format, read by camunda-engine with the spring-beans it depends on) whose
 * {@code processEnginePlugins} list holds {@code io.cortex.engine.CortexProcessEnginePlugin}. The XML files are
 * the ones the guide shows.
 */
@Tag("slow")
class CamundaCfgXmlTest {

  @TempDir
  Path temp;

  private ProcessEngine engine;

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void engineFromCamundaCfgXmlWithThePluginEntryRunsAPlanningSessionWithCheckpoints() throws IOException {
    // given
    engine = ProcessEngineConfiguration.createProcessEngineConfigurationFromResource("embedding/camunda.cfg.xml")
        .buildProcessEngine();
    deployCortexProcesses(engine);
    TempRepo repo = TempRepo.init(temp);
    repo.write("README.md", "# app\n").commitAll("init");

    // when
    Cortex cortex = Cortex.on(engine);
    cortex.startSession(Workflow.PLANNING, "cfg-xml-001", repo.dir());
    repo.write("requirements.md", "- login\n");
    cortex.completePhase("cfg-xml-001", "DoR", Map.of("requirements_validated", true));
    repo.write("src/Login.java", "class Login {}\n");
    cortex.completePhase("cfg-xml-001", "Implementation", Map.of("tests_passing", 3));
    cortex.completePhase("cfg-xml-001", "DoD", Map.of());

    // then
    assertThat(cortex.checkpoints("cfg-xml-001")).extracting(Checkpoint::checkpointId)
        .containsExactly("session-start", "dor-1", "implementation-1", "dod-1");
    for (Checkpoint checkpoint : cortex.checkpoints("cfg-xml-001")) {
      assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/cfg-xml-001/" + checkpoint.checkpointId()).trim())
          .as("the ref of %s", checkpoint.checkpointId()).isEqualTo(checkpoint.snapshotCommit());
    }
    assertThat(repo.git("show", "refs/cortex/checkpoints/cfg-xml-001/implementation-1:src/Login.java"))
        .isEqualTo("class Login {}\n");
    assertThat(repo.git("status", "--porcelain")).contains("?? requirements.md", "?? src/");
  }

  @Test
  void expressionsSeeCortexsDelegatesAndTheBeansOfTheXml() {
    // when
    engine = ProcessEngineConfiguration.createProcessEngineConfigurationFromResource("embedding/camunda.cfg.xml")
        .buildProcessEngine();

    // then: the beans expressions resolve against (the XML's bean factory refuses new entries)
    Map<Object, Object> beans = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getBeans();
    assertThat(beans.containsKey("cortexGate")).isTrue();
    assertThat(beans.get("cortexGate")).isNotNull();
    assertThat(beans.containsKey("processEngineConfiguration")).as("the XML's own bean").isTrue();
    assertThat(beans.get("processEngineConfiguration")).isSameAs(engine.getProcessEngineConfiguration());
    assertThat(beans.containsKey("noSuchBean")).isFalse();
  }

  @Test
  void camundaCfgXmlNamesCortexsYamlFileInThePluginsConfigFileProperty() throws IOException {
    // given
    Path yaml = Files.writeString(temp.resolve("cortex.yaml"), "checkpoint:\n  maxCheckpoints: 7\n");
    String xml = read("embedding/camunda-with-config.cfg.xml").replace("/etc/cortex/cortex.yaml", yaml.toString());

    // when
    engine = ProcessEngineConfiguration.createProcessEngineConfigurationFromInputStream(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).buildProcessEngine();

    // then
    assertThat(Cortex.on(engine).config().checkpoint().maxCheckpoints()).isEqualTo(7);
  }

  /** What a plain Java user does once (docs/embedding.md): the workflows and what they call, from the plugin's jar. */
  static void deployCortexProcesses(ProcessEngine engine) {
    engine.getRepositoryService().createDeployment().name("cortex").enableDuplicateFiltering(true)
        .addClasspathResource("processes/planning.bpmn")
        .addClasspathResource("processes/recovery.bpmn")
        .addClasspathResource("processes/operator-decision.form")
        .deploy();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = CamundaCfgXmlTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
