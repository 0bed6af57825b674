package io.cortex.recovery;

import io.cortex.config.RecoveryStrategy;
import java.util.Arrays;
import java.util.Optional;

/**
 * The failure types of the seed protocol, used as BPMN error codes, with the recovery strategy
 * each gets unless configuration or a process variable says otherwise. {@code GATE_FAILED} has
 * no built-in choice: it takes the configured {@code recovery.strategy}.
 */
public enum FailureType {
  PHASE_FAILED(RecoveryStrategy.IMMEDIATE),
  GATE_FAILED(null),
  TIMEOUT(RecoveryStrategy.IMMEDIATE),
  VALIDATION_ERROR(RecoveryStrategy.PROGRESSIVE),
  STATE_CORRUPTION(RecoveryStrategy.PROGRESSIVE),
  EXTERNAL_SERVICE_ERROR(RecoveryStrategy.IMMEDIATE),
  PATTERN_DETECTION_ERROR(RecoveryStrategy.DECOMPOSE),
  SCORING_CALCULATION_ERROR(RecoveryStrategy.DECOMPOSE),
  THERAPEUTIC_LOOP_ERROR(RecoveryStrategy.DECOMPOSE);

  private final RecoveryStrategy defaultStrategy;

  FailureType(RecoveryStrategy defaultStrategy) {
    this.defaultStrategy = defaultStrategy;
  }

  public Optional<RecoveryStrategy> defaultStrategy() {
    return Optional.ofNullable(defaultStrategy);
  }

  public static Optional<FailureType> of(String errorCode) {
    return Arrays.stream(values()).filter(t -> t.name().equals(errorCode)).findFirst();
  }
}
