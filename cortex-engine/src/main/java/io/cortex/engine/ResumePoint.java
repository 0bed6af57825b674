package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;

/**
 * Where a resumed session starts: the phase asked for, else the phase after the last one that ended (a checkpoint
 * of type PHASE_END), in the order of the shipped workflow; after its last phase, TDD starts a new cycle and the
 * others reopen that last phase. A designer's own process needs the phase named.
 *
 * @param phase the phase as the model spells it
 * @param activityId the BPMN element carrying it, where the new process instance starts
 */
public record ResumePoint(String phase, String activityId) {

  /** A shipped workflow's CLI name ({@code tdd}) or any process key. */
  public static String processKey(String workflowOrKey) {
    for (Workflow w : Workflow.values()) {
      if (w.cliName().equalsIgnoreCase(workflowOrKey) || w.processKey().equalsIgnoreCase(workflowOrKey)) {
        return w.processKey();
      }
    }
    return workflowOrKey;
  }

  public static ResumePoint of(BpmnModelInstance model, String processKey, String phase, List<Checkpoint> checkpoints) {
    List<ResumePoint> phases = new ArrayList<>();
    for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
      String p = PhaseLookup.phaseOf(model, node.getId());
      if (p != null) {
        phases.add(new ResumePoint(p, node.getId()));
      }
    }
    String wanted = phase != null ? phase : defaultPhase(processKey, checkpoints);
    if (wanted == null) {
      throw new CortexException("Process " + processKey + " is not one of Cortex's workflows; name the phase to resume"
          + " in (CLI: --phase), one of " + phases.stream().map(ResumePoint::phase).toList());
    }
    return phases.stream().filter(p -> p.phase().equalsIgnoreCase(wanted)).findFirst()
        .orElseThrow(() -> new CortexException("Process " + processKey + " has no phase '" + wanted + "'; its phases: "
            + phases.stream().map(ResumePoint::phase).toList()));
  }

  private static String defaultPhase(String processKey, List<Checkpoint> checkpoints) {
    Workflow workflow = null;
    for (Workflow w : Workflow.values()) {
      if (w.processKey().equals(processKey)) {
        workflow = w;
      }
    }
    if (workflow == null) {
      return null;
    }
    List<String> order = workflow.phases();
    String lastEnded = null;
    for (Checkpoint c : checkpoints) {
      if (c.type() == CheckpointType.PHASE_END && c.phase() != null) {
        lastEnded = c.phase();
      }
    }
    if (lastEnded == null) {
      return order.get(0);
    }
    String ended = lastEnded;
    int i = order.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList().indexOf(ended.toLowerCase(Locale.ROOT));
    if (i < 0) {
      return order.get(0);
    }
    if (i + 1 < order.size()) {
      return order.get(i + 1);
    }
    return workflow == Workflow.TDD ? order.get(0) : order.get(i);
  }
}
