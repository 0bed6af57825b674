package io.cortex.recovery;

/**
 * What failed and how to recover it.
 *
 * @param processKey the process definition key of the failed phase's process (gates are configured per process)
 * @param attempt 1-based attempt number
 */
public record RecoveryRequest(String sessionId, String processKey, String phase, String errorCode, String errorMessage,
                              io.cortex.config.RecoveryStrategy strategy, int attempt) {
}
