package io.cortex.recovery;

import io.cortex.config.RecoveryStrategy;
import java.util.Map;

/**
 * One recovery attempt and how it went; audited as {@code RECOVERY_ATTEMPTED} and passed to
 * observers.
 *
 * @param target the checkpoint the repository was brought back to, {@code null} if none was
 * @param gateRuns how many times the phase's gate ran
 * @param details strategy-specific facts (candidates tried, steps kept and breaking, …)
 */
public record RecoveryAttempt(String sessionId, String phase, String errorCode, RecoveryStrategy strategy, int attempt,
                              boolean recovered, String target, int gateRuns, Map<String, Object> details) {

  public RecoveryAttempt {
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }
}
