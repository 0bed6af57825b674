package io.cortex.engine;

import io.cortex.base.PhaseProperty;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/** Finds the active phases of a process instance from its activity instance tree and its BPMN. */
public final class PhaseLookup {

  /** An active phase: its name and activity instance, plus the ids of that instance's subtree. */
  public record ActivePhase(String phase, String activityInstanceId, List<String> subtreeInstanceIds) {
  }

  private final ProcessEngine engine;

  public PhaseLookup(ProcessEngine engine) {
    this.engine = engine;
  }

  public List<ActivePhase> activePhases(String processInstanceId) {
    ActivityInstance root = engine.getRuntimeService().getActivityInstance(processInstanceId);
    if (root == null) {
      return List.of();
    }
    BpmnModelInstance model = engine.getRepositoryService().getBpmnModelInstance(root.getProcessDefinitionId());
    List<ActivePhase> result = new ArrayList<>();
    collect(root, model, result);
    return result;
  }

  private static void collect(ActivityInstance instance, BpmnModelInstance model, List<ActivePhase> result) {
    for (ActivityInstance child : instance.getChildActivityInstances()) {
      String phase = phaseOf(model, child.getActivityId());
      if (phase != null) {
        List<String> ids = new ArrayList<>();
        subtree(child, ids);
        result.add(new ActivePhase(phase, child.getId(), ids));
      }
      collect(child, model, result);
    }
  }

  private static void subtree(ActivityInstance instance, List<String> ids) {
    ids.add(instance.getId());
    for (ActivityInstance child : instance.getChildActivityInstances()) {
      subtree(child, ids);
    }
  }

  /** The {@code cortex.phase} of a BPMN element, or null. */
  public static String phaseOf(BpmnModelInstance model, String elementId) {
    if (!(model.getModelElementById(elementId) instanceof BaseElement element)) {
      return null;
    }
    ExtensionElements extensions = element.getExtensionElements();
    if (extensions == null) {
      return null;
    }
    for (CamundaProperties properties : extensions.getChildElementsByType(CamundaProperties.class)) {
      for (CamundaProperty property : properties.getCamundaProperties()) {
        if (PhaseProperty.NAME.equals(property.getCamundaName())) {
          return property.getCamundaValue();
        }
      }
    }
    return null;
  }
}
