package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.base.PhaseProperty;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Ids;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random {@code cortex.phase} values on a designer's task, deployed to a real engine: a deployment either
 * succeeds with a valid phase name — whose phase end then takes a checkpoint with a valid id — or fails with a
 * {@link ParseException} naming the element and the property, and deploys nothing.
 */
class PhasePropertyFuzzTest {

  private static final long SEED = 7_000_004L;
  private static final int CASES = 60 * Fuzz.SCALE;
  /** The documented rule (docs/designers.md), restated as the test's oracle. */
  private static final Pattern PHASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,49}");

  @TempDir
  Path temp;

  @Test
  void randomPhaseNamesDeployWhenValidAndAreRejectedNamingTheElementOtherwise() {
    Cortex cortex = SharedEngine.cortex();
    RepositoryService repository = cortex.engine().getRepositoryService();
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    List<String> deployed = new ArrayList<>();
    int rejected = 0;
    for (int n = 0; n < CASES; n++) {
      String phase = phase(random);
      String key = "fuzz-phase-" + n;
      String task = "Task_" + n;
      long deployments = repository.createDeploymentQuery().count();
      Throwable failure = null;
      try {
        repository.createDeployment().addModelInstance(key + ".bpmn", model(key, task, phase)).deploy();
      } catch (Throwable t) {
        failure = t;
      }
      String where = "case " + n + " phase '" + Fuzz.show(phase) + "'";
      boolean valid = PHASE.matcher(phase).matches();
      if (failure == null) {
        if (!valid) {
          failures.add(where + ": an invalid phase name was deployed");
        }
        deployed.add(phase);
        continue;
      }
      rejected++;
      if (valid) {
        failures.add(where + ": a valid phase name was rejected: " + failure);
      } else if (!(failure instanceof ParseException) || !failure.getMessage().contains(task)
          || !failure.getMessage().contains("cortex.phase")) {
        failures.add(where + ": expected a ParseException naming " + task + " and cortex.phase, got " + failure);
      }
      if (repository.createDeploymentQuery().count() != deployments) {
        failures.add(where + ": a rejected deployment left a deployment behind");
      }
    }
    assertThat(failures).as("fuzz failures").isEmpty();
    assertThat(deployed).hasSizeGreaterThan(8);
    assertThat(rejected).isGreaterThan(CASES / 3);

    // and the first deployed phases really checkpoint under a valid id
    for (int i = 0; i < 3; i++) {
      String phase = deployed.get(i);
      int n = -1;
      for (int k = 0; k < CASES && n < 0; k++) {
        if (repository.createProcessDefinitionQuery().processDefinitionKey("fuzz-phase-" + k).count() > 0
            && phaseOf(cortex, "fuzz-phase-" + k).equals(phase)) {
          n = k;
        }
      }
      TempRepo repo = TempRepo.init(temp).write("f.txt", phase + "\n").commitAll("init");
      String session = "phase-fuzz-" + i;
      cortex.startSession("fuzz-phase-" + n, session, repo.dir(), Map.of());
      cortex.completePhase(session, phase, Map.of());
      List<Checkpoint> checkpoints = cortex.checkpoints(session);
      assertThat(checkpoints).extracting(Checkpoint::checkpointId)
          .containsExactly("session-start", phase.toLowerCase(Locale.ROOT) + "-1");
      assertThat(Ids.isValid(checkpoints.get(1).checkpointId())).isTrue();
      assertThat(Consistency.problems(repo.dir(), session, checkpoints)).isEmpty();
    }
    System.out.printf("reliability/fuzz-bpmn: seed=%d cases=%d deployed=%d rejected=%d failures=%d%n", SEED, CASES,
        deployed.size(), rejected, failures.size());
  }

  private static String phaseOf(Cortex cortex, String key) {
    var definition = cortex.engine().getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(key)
        .latestVersion().singleResult();
    BpmnModelInstance model = cortex.engine().getRepositoryService().getBpmnModelInstance(definition.getId());
    return model.getModelElementsByType(CamundaProperty.class).stream()
        .filter(p -> "cortex.phase".equals(p.getCamundaName())).map(CamundaProperty::getCamundaValue)
        .findFirst().orElse("");
  }

  /** A phase name: valid ones, near misses, and hostile strings (XML-legal: a BPMN file cannot hold the rest). */
  private static String phase(Random random) {
    String value = switch (random.nextInt(6)) {
      case 0 -> Fuzz.word(random, 12).toUpperCase(Locale.ROOT);
      case 1 -> Fuzz.word(random, 60);
      case 2 -> Fuzz.id(random);
      case 3 -> Fuzz.randomString(random, 1 + random.nextInt(20));
      case 4 -> Fuzz.pick(random, List.of("", " ", "GREEN ", " GREEN", "green phase", "Phase_1", "_x", "-x", "9lives",
          "Ünïcode", "a".repeat(50), "a".repeat(51), "RED\u00a0", "x.y", "x/y", "${phase}", "#{x}"));
      default -> Fuzz.word(random, 8) + Fuzz.pick(random, Fuzz.REF_BREAKERS) + Fuzz.word(random, 4);
    };
    StringBuilder legal = new StringBuilder();
    value.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000).forEach(legal::appendCodePoint);
    // XML normalises tabs and line breaks in attribute values to spaces: so does the oracle's input
    return legal.toString().replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private static BpmnModelInstance model(String key, String task, String phase) {
    BpmnModelInstance model = Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1).startEvent()
        .userTask(task).endEvent().done();
    BaseElement element = model.getModelElementById(task);
    ExtensionElements extensions = model.newInstance(ExtensionElements.class);
    element.setExtensionElements(extensions);
    CamundaProperties properties = model.newInstance(CamundaProperties.class);
    extensions.addChildElement(properties);
    CamundaProperty property = model.newInstance(CamundaProperty.class);
    property.setCamundaName("cortex.phase");
    property.setCamundaValue(phase);
    properties.addChildElement(property);
    return model;
  }
}
