package io.cortex.recovery;

import io.cortex.base.CortexException;
import io.cortex.config.RecoveryConfig;
import io.cortex.config.RecoveryStrategy;
import java.util.Arrays;
import java.util.Locale;

/**
 * Chooses a recovery strategy. Precedence: the process variable {@code recoveryStrategy} >
 * {@code recovery.byError} > {@code recovery.byProcess} > the failure type's default >
 * {@code recovery.strategy}.
 */
public final class StrategySelector {

  private final RecoveryConfig config;

  public StrategySelector(RecoveryConfig config) {
    this.config = config;
  }

  public RecoveryStrategy choose(Object variableOverride, String errorCode, String processKey) {
    if (variableOverride != null && !variableOverride.toString().isBlank()) {
      return parse(variableOverride.toString());
    }
    if (errorCode != null && config.byError().containsKey(errorCode)) {
      return config.byError().get(errorCode);
    }
    if (processKey != null && config.byProcess().containsKey(processKey)) {
      return config.byProcess().get(processKey);
    }
    return FailureType.of(errorCode).flatMap(FailureType::defaultStrategy).orElse(config.strategy());
  }

  static RecoveryStrategy parse(String name) {
    try {
      return RecoveryStrategy.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CortexException("Unknown recovery strategy '" + name + "' in variable recoveryStrategy; use one of "
          + Arrays.toString(RecoveryStrategy.values()));
    }
  }
}
