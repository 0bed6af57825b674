package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.base.Json;
import io.cortex.config.RecoveryConfig;
import io.cortex.config.RecoveryStrategy;
import io.cortex.recovery.RecoveryAttempt;
import io.cortex.recovery.RecoveryRequest;
import io.cortex.recovery.RecoveryService;
import io.cortex.recovery.StrategySelector;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The service tasks of {@code processes/recovery.bpmn}, one delegate per task, registered as
 * beans ({@code ${cortexChooseStrategy}}, {@code ${cortexImmediate}}, …). The variables they read
 * and write are documented in docs/recovery.md.
 */
final class RecoveryDelegates {

  private static final int MAX_TEXT = 3900;

  private RecoveryDelegates() {
  }

  /** {@code ${cortexChooseStrategy}}: picks the strategy and counts the attempt. */
  static JavaDelegate chooseStrategy(RecoveryConfig config) {
    StrategySelector selector = new StrategySelector(config);
    return execution -> {
      int attempt = execution.getVariable("recoveryAttempt") instanceof Number n ? n.intValue() + 1 : 1;
      RecoveryStrategy strategy = selector.choose(execution.getVariable("recoveryStrategy"),
          (String) execution.getVariable("cortexErrorCode"), (String) execution.getVariable("cortexFailedProcess"));
      List<Long> delays = config.retry().delaysMs();
      long delay = delays.isEmpty() ? 0 : delays.get(Math.min(attempt - 1, delays.size() - 1));
      execution.setVariable("recoveryAttempt", attempt);
      execution.setVariable("strategy", strategy.name());
      execution.setVariable("maxAttempts", config.retry().maxAttempts());
      execution.setVariable("retryDelay", Duration.ofMillis(delay).toString());
    };
  }

  /** {@code ${cortexImmediate}}, {@code ${cortexProgressive}}, {@code ${cortexDecompose}}: one attempt. */
  static JavaDelegate attempt(Supplier<RecoveryService> recovery) {
    return execution -> {
      RecoveryAttempt attempt = recovery.get().attempt(request(execution, strategyOf(execution, "strategy")));
      store(execution, attempt);
    };
  }

  /** {@code ${cortexOperatorRollback}}: carries out the operator's decision from the form. */
  static JavaDelegate operatorRollback(Supplier<RecoveryService> recovery) {
    return execution -> {
      String choice = String.valueOf(execution.getVariable("decisionStrategy")).trim().toUpperCase(Locale.ROOT);
      boolean force = Boolean.TRUE.equals(execution.getVariable("decisionForce"));
      RecoveryAttempt attempt;
      if (choice.equals("TARGET")) {
        Object target = execution.getVariable("decisionTarget");
        if (target == null || target.toString().isBlank()) {
          throw new CortexException("The operator chose TARGET but gave no target checkpoint (field decisionTarget)");
        }
        attempt = recovery.get().rollbackTo(request(execution, RecoveryStrategy.IMMEDIATE), target.toString().trim(), force);
      } else {
        attempt = recovery.get().attempt(request(execution, strategyOf(execution, "decisionStrategy")));
      }
      store(execution, attempt);
      if (!attempt.recovered()) {
        throw new CortexException("The operator's recovery (" + choice + ") did not succeed: "
            + attempt.details().getOrDefault("reason", attempt.details()) + ". Retry the job or change the decision.");
      }
    };
  }

  /** {@code ${cortexRecoveryPoint}}: the RECOVERY_POINT checkpoint and the outcome for the caller. */
  static JavaDelegate recoveryPoint(Supplier<RecoveryService> recovery) {
    return execution -> {
      Checkpoint point = recovery.get().recordRecoveryPoint(request(execution, strategyOf(execution, "strategy")),
          (String) execution.getVariable("recoveryTarget"));
      execution.setVariable("recoveryOutcome", "RECOVERED");
      execution.setVariable("recoveredCheckpoint", point.checkpointId());
    };
  }

  private static RecoveryRequest request(DelegateExecution execution, RecoveryStrategy strategy) {
    int attempt = execution.getVariable("recoveryAttempt") instanceof Number n ? n.intValue() : 1;
    return new RecoveryRequest(execution.getProcessBusinessKey(), (String) execution.getVariable("cortexFailedProcess"),
        (String) execution.getVariable("cortexFailedPhase"), (String) execution.getVariable("cortexErrorCode"),
        (String) execution.getVariable("cortexErrorMessage"), strategy, attempt);
  }

  private static RecoveryStrategy strategyOf(DelegateExecution execution, String variable) {
    Object value = execution.getVariable(variable);
    try {
      return RecoveryStrategy.valueOf(String.valueOf(value).trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CortexException("Variable " + variable + " must be IMMEDIATE, PROGRESSIVE or DECOMPOSE, got '" + value + "'");
    }
  }

  private static void store(DelegateExecution execution, RecoveryAttempt attempt) {
    execution.setVariable("recovered", attempt.recovered());
    execution.setVariable("recoveryTarget", attempt.target());
    String details = Json.write(attempt.details());
    execution.setVariable("recoveryDetails", details.length() > MAX_TEXT ? details.substring(0, MAX_TEXT) + "…" : details);
  }
}
