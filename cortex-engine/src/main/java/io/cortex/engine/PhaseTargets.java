package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * Which phase activity a process instance re-enters after a rollback to a checkpoint, from the BPMN's
 * {@code cortex.phase} properties:
 * <ol>
 *   <li>a checkpoint with a phase ({@code dor-1} has {@code DoR}): the activity marked with that phase;</li>
 *   <li>a checkpoint without one, taken while the instance ran (a {@code USER_REQUESTED} checkpoint during
 *       Implementation): the phase that was running then, from the instance's history;</li>
 *   <li>otherwise ({@code session-start}): the first phase in flow order.</li>
 * </ol>
 */
final class PhaseTargets {

  private PhaseTargets() {
  }

  static String activityFor(BpmnModelInstance model, Checkpoint checkpoint, String processInstanceId,
                            HistoryService history) {
    List<FlowNode> phases = phaseActivities(model);
    if (phases.isEmpty()) {
      throw new CortexException("The process of session " + checkpoint.sessionId()
          + " has no activity marked with cortex.phase, so there is no phase to return to.");
    }
    if (checkpoint.phase() != null) {
      return phases.stream().filter(node -> checkpoint.phase().equals(phaseOf(model, node)))
          .findFirst()
          .or(() -> phases.stream().filter(node -> checkpoint.phase().equalsIgnoreCase(phaseOf(model, node))).findFirst())
          .map(FlowNode::getId)
          .orElseThrow(() -> new CortexException("Checkpoint " + checkpoint.checkpointId() + " belongs to phase '"
              + checkpoint.phase() + "', but the process has no activity with cortex.phase=" + checkpoint.phase()
              + " (its phases: " + String.join(", ", phases.stream().map(node -> phaseOf(model, node)).toList())
              + ")."));
    }
    if (checkpoint.type() != CheckpointType.SESSION_START && processInstanceId.equals(checkpoint.processInstanceId())) {
      String running = runningAt(checkpoint.createdAt(), processInstanceId, history, phases);
      if (running != null) {
        return running;
      }
    }
    return firstPhase(model, phases);
  }

  /** Every activity with a {@code cortex.phase} property, in document order. */
  static List<FlowNode> phaseActivities(BpmnModelInstance model) {
    return model.getModelElementsByType(FlowNode.class).stream()
        .filter(node -> phaseOf(model, node) != null)
        .toList();
  }

  private static String phaseOf(BpmnModelInstance model, FlowNode node) {
    return PhaseLookup.phaseOf(model, node.getId());
  }

  /** The phase activity whose instance was running at {@code when}, the innermost/latest if several. */
  private static String runningAt(Instant when, String processInstanceId, HistoryService history, List<FlowNode> phases) {
    Set<String> phaseIds = new LinkedHashSet<>(phases.stream().map(FlowNode::getId).toList());
    return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).list().stream()
        .filter(instance -> phaseIds.contains(instance.getActivityId()))
        .filter(instance -> !instance.getStartTime().toInstant().isAfter(when))
        .filter(instance -> instance.getEndTime() == null || !instance.getEndTime().toInstant().isBefore(when))
        .max(Comparator.comparing(HistoricActivityInstance::getStartTime))
        .map(HistoricActivityInstance::getActivityId)
        .orElse(null);
  }

  /** The first phase reached from the process's start event (not an event subprocess's), else the first in the file. */
  private static String firstPhase(BpmnModelInstance model, List<FlowNode> phases) {
    Process process = processOf(phases.get(0));
    if (process != null) {
      Deque<FlowNode> queue = new ArrayDeque<>(process.getChildElementsByType(StartEvent.class));
      Set<FlowNode> seen = new LinkedHashSet<>();
      while (!queue.isEmpty()) {
        FlowNode node = queue.poll();
        if (!seen.add(node)) {
          continue;
        }
        if (phases.contains(node)) {
          return node.getId();
        }
        List<FlowNode> next = new ArrayList<>();
        for (SequenceFlow flow : node.getOutgoing()) {
          next.add(flow.getTarget());
        }
        if (node instanceof SubProcess subProcess && !subProcess.triggeredByEvent()) {
          next.addAll(subProcess.getChildElementsByType(StartEvent.class));
        }
        queue.addAll(next);
      }
    }
    return phases.get(0).getId();
  }

  private static Process processOf(ModelElementInstance element) {
    for (ModelElementInstance e = element; e != null; e = e.getParentElement()) {
      if (e instanceof Process process) {
        return process;
      }
    }
    return null;
  }
}
