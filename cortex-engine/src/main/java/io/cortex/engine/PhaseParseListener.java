package io.cortex.engine;

import io.cortex.base.PhaseProperty;
import io.cortex.checkpoint.Checkpointer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BpmnParseException;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseUtil;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Finds activities marked with {@code cortex.phase} and gives each a built-in end listener
 * that takes a checkpoint; a process with at least one phase also gets a start listener that
 * opens the session. Anything without the property is left exactly as it was, and a bad
 * property is rejected at deployment with a {@link BpmnParseException} naming the element.
 */
final class PhaseParseListener extends AbstractBpmnParseListener {

  /** Key under which the parsed phase name is stored on the engine's activity. */
  static final String ACTIVITY_PROPERTY = "cortexPhase";

  private static final List<String> KNOWN_PROPERTIES = List.of(PhaseProperty.NAME);

  private final Checkpointer checkpointer;
  private final Clock clock;

  PhaseParseListener(Checkpointer checkpointer, Clock clock) {
    this.checkpointer = checkpointer;
    this.clock = clock;
  }

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
    rejectCortexProperties(processElement, "a process");
    if (hasPhase(processDefinition)) {
      processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START,
          new SessionStartListener(checkpointer, clock));
    }
  }

  // --- activities that may be phases ---

  @Override
  public void parseSubProcess(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseScriptTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseBusinessRuleTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseManualTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseReceiveTask(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseCallActivity(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  @Override
  public void parseTransaction(Element element, ScopeImpl scope, ActivityImpl activity) {
    markPhase(element, activity);
  }

  // --- elements that cannot be phases: a marker there is a modelling error ---

  @Override
  public void parseStartEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a start event");
  }

  @Override
  public void parseEndEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "an end event");
  }

  @Override
  public void parseBoundaryEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a boundary event");
  }

  @Override
  public void parseIntermediateThrowEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "an intermediate event");
  }

  @Override
  public void parseIntermediateCatchEvent(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "an intermediate event");
  }

  @Override
  public void parseExclusiveGateway(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a gateway");
  }

  @Override
  public void parseInclusiveGateway(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a gateway");
  }

  @Override
  public void parseParallelGateway(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a gateway");
  }

  @Override
  public void parseEventBasedGateway(Element element, ScopeImpl scope, ActivityImpl activity) {
    rejectCortexProperties(element, "a gateway");
  }

  private void markPhase(Element element, ActivityImpl activity) {
    Map<String, String> properties = cortexProperties(element);
    if (properties.isEmpty()) {
      return;
    }
    for (String name : properties.keySet()) {
      if (!KNOWN_PROPERTIES.contains(name)) {
        throw new BpmnParseException("Unknown Cortex property '" + name + "' on element '" + element.attribute("id")
            + "'; known properties: " + String.join(", ", KNOWN_PROPERTIES), element);
      }
    }
    String phase = properties.get(PhaseProperty.NAME);
    if (phase == null || phase.isBlank()) {
      throw new BpmnParseException("Property '" + PhaseProperty.NAME + "' on element '" + element.attribute("id")
          + "' is empty; give the phase a name such as GREEN (" + PhaseProperty.RULE + ")", element);
    }
    if (!PhaseProperty.isValidPhaseName(phase)) {
      throw new BpmnParseException("Property '" + PhaseProperty.NAME + "' on element '" + element.attribute("id")
          + "' has the invalid phase name '" + phase + "'; use " + PhaseProperty.RULE, element);
    }
    activity.setProperty(ACTIVITY_PROPERTY, phase);
    activity.addBuiltInListener(ExecutionListener.EVENTNAME_END, new PhaseEndListener(phase, checkpointer));
  }

  private static void rejectCortexProperties(Element element, String what) {
    Map<String, String> properties = cortexProperties(element);
    if (!properties.isEmpty()) {
      throw new BpmnParseException("Cortex property '" + properties.keySet().iterator().next() + "' on element '"
          + element.attribute("id") + "' is not allowed on " + what
          + "; put '" + PhaseProperty.NAME + "' on a subprocess, task or call activity", element);
    }
  }

  /** The element's {@code camunda:property} entries whose name starts with {@code cortex.}. */
  private static Map<String, String> cortexProperties(Element element) {
    Map<String, String> all = BpmnParseUtil.parseCamundaExtensionProperties(element);
    if (all == null || all.isEmpty()) {
      return Map.of();
    }
    Map<String, String> cortex = new java.util.LinkedHashMap<>();
    all.forEach((name, value) -> {
      if (name != null && name.startsWith(PhaseProperty.PREFIX)) {
        cortex.put(name, value);
      }
    });
    return cortex;
  }

  static boolean hasPhase(ScopeImpl scope) {
    for (ActivityImpl activity : scope.getActivities()) {
      if (activity.getProperty(ACTIVITY_PROPERTY) != null || hasPhase(activity)) {
        return true;
      }
    }
    return false;
  }
}
