package io.cortex.engine;

import io.cortex.config.GateConfig;
import io.cortex.config.GatesConfig;
import io.cortex.gate.GateResult;
import io.cortex.gate.GateRunner;
import io.cortex.git.GitWorkspace;
import java.nio.file.Path;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.instance.FlowElement;

/**
 * {@code ${cortexGate}}: runs the verification command configured for the enclosing phase
 * ({@code gates.workflows.<process>.<phase>}) in the session's repository. A phase without a gate
 * passes. The result goes to the phase's checkpoint metrics (through the transient variable
 * {@value #RESULT_VARIABLE}); a failed gate throws the BPMN error {@code GATE_FAILED}
 * ({@code TIMEOUT} when it ran out of time), which the phase's error boundary routes to recovery.
 */
final class GateDelegate implements JavaDelegate {

  static final String RESULT_VARIABLE = "cortexGateResult";
  private static final int MAX_MESSAGE = 3000;

  private final GatesConfig gates;
  private final GateRunner runner;

  GateDelegate(GatesConfig gates, GateRunner runner) {
    this.gates = gates;
    this.runner = runner;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String processKey = execution.getProcessDefinitionId().split(":")[0];
    String phase = enclosingPhase(execution);
    Optional<GateConfig> gate = phase == null ? Optional.empty() : gates.gateFor(processKey, phase);
    if (gate.isEmpty()) {
      return;
    }
    Path repository = Path.of((String) execution.getVariable(CortexVariables.REPOSITORY_PATH));
    // A repository that is not there (an unmounted share, a moved folder) is a technical
    // failure — retried, then an incident — not a failed gate that would start recovery.
    GitWorkspace.open(repository).close();
    GateResult result = runner.run(repository, gate.get(), gates.outputLimitBytes());
    execution.setVariable(RESULT_VARIABLE, Variables.objectValue(result.toMetrics(), true).create());
    if (!result.passed()) {
      String message = "Gate of phase " + phase + " failed: '" + result.command() + "' "
          + (result.timedOut() ? "did not finish within " + gate.get().timeoutMs() + " ms"
          : "exited with " + result.exitCode() + " (expected " + (result.expect().name().equals("PASS") ? "success" : "failure") + ")")
          + (result.output().isBlank() ? "" : "\n" + result.output());
      throw new BpmnError(result.timedOut() ? "TIMEOUT" : "GATE_FAILED",
          message.length() > MAX_MESSAGE ? "…" + message.substring(message.length() - MAX_MESSAGE) : message);
    }
  }

  /** The phase of the subprocess holding this gate task. */
  private static String enclosingPhase(DelegateExecution execution) {
    FlowElement task = execution.getBpmnModelElementInstance();
    for (var parent = task.getParentElement(); parent != null; parent = parent.getParentElement()) {
      if (parent instanceof FlowElement element) {
        String phase = PhaseLookup.phaseOf((org.camunda.bpm.model.bpmn.BpmnModelInstance) task.getModelInstance(), element.getId());
        if (phase != null) {
          return phase;
        }
      }
    }
    return null;
  }
}
