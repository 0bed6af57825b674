package io.cortex.config;

import java.util.Objects;

/**
 * How failed workflows are recovered ({@code recovery} section).
 *
 * @param strategy how a failed workflow is brought back to a checkpoint
 * @param retry how failed steps are retried
 */
public record RecoveryConfig(RecoveryStrategy strategy, RetryConfig retry) {

  public static final RecoveryStrategy DEFAULT_STRATEGY = RecoveryStrategy.IMMEDIATE;

  public RecoveryConfig {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(retry, "retry");
  }

  /** Immediate rollback with the default retry policy. */
  public static RecoveryConfig defaults() {
    return new RecoveryConfig(DEFAULT_STRATEGY, RetryConfig.defaults());
  }
}
