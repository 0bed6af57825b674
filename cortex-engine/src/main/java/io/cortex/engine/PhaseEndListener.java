package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.base.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Takes the {@code PHASE_END} checkpoint when a phase completes normally. A phase that is
 * cancelled (interrupted by a boundary event, or its instance deleted) did not finish, so it
 * takes none. The phase's activity instance id makes a retried end idempotent.
 */
final class PhaseEndListener implements ExecutionListener {

  private final String phase;
  private final Checkpointer checkpointer;

  PhaseEndListener(String phase, Checkpointer checkpointer) {
    this.phase = phase;
    this.checkpointer = checkpointer;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (execution.isCanceled()) {
      return;
    }
    Map<String, Object> metrics = new LinkedHashMap<>(metricsOf(execution.getVariable(CortexVariables.METRICS)));
    if (execution.getVariable(GateDelegate.RESULT_VARIABLE) instanceof Map<?, ?> gate) {
      gate.forEach((k, v) -> metrics.put(String.valueOf(k), v));
    }
    checkpointer.take(EngineTransaction.catalogue(), new CheckpointRequest(execution.getProcessBusinessKey(),
        CheckpointType.PHASE_END, null, phase, execution.getProcessInstanceId(), execution.getActivityInstanceId(),
        metrics));
    execution.removeVariable(CortexVariables.METRICS);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> metricsOf(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    if (value instanceof String json) {
      return json.isBlank() ? Map.of() : Json.readObject(json, "Variable " + CortexVariables.METRICS + " of phase " + phase);
    }
    throw new CortexException("Variable " + CortexVariables.METRICS + " of phase " + phase
        + " must be a JSON object (String) or a Map, got " + value.getClass().getSimpleName());
  }
}
