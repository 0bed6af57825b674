package io.cortex.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How failed workflows are recovered ({@code recovery} section). The strategy for one failure is
 * chosen in this order: the process variable {@code recoveryStrategy}, then {@code byError} for
 * the failure's BPMN error code, then {@code byProcess} for the process definition key, then the
 * default of the error code (see docs/configuration.md), then {@code strategy}.
 *
 * @param strategy the strategy when nothing more specific applies
 * @param byProcess process definition key (non-blank) to strategy; unmodifiable, in given order
 * @param byError BPMN error code ({@value #ERROR_CODE_REGEX}, e.g. {@code GATE_FAILED}) to
 *     strategy; unmodifiable, in given order
 * @param progressiveOrder in which order {@link RecoveryStrategy#PROGRESSIVE} tries checkpoints
 * @param retry how failed steps are retried
 */
public record RecoveryConfig(
    RecoveryStrategy strategy,
    Map<String, RecoveryStrategy> byProcess,
    Map<String, RecoveryStrategy> byError,
    ProgressiveOrder progressiveOrder,
    RetryConfig retry) {

  public static final RecoveryStrategy DEFAULT_STRATEGY = RecoveryStrategy.IMMEDIATE;
  public static final ProgressiveOrder DEFAULT_PROGRESSIVE_ORDER = ProgressiveOrder.NEWEST_FIRST;
  /** What a BPMN error code in {@code byError} looks like. */
  public static final String ERROR_CODE_REGEX = "[A-Z][A-Z0-9_]*";
  static final String ERROR_CODE_RULE =
      "a BPMN error code (" + ERROR_CODE_REGEX + ", e.g. GATE_FAILED)";
  private static final Pattern ERROR_CODE = Pattern.compile(ERROR_CODE_REGEX);

  public RecoveryConfig {
    Objects.requireNonNull(strategy, "strategy");
    byProcess = copyOf("recovery.byProcess", byProcess, GatesConfig.PROCESS_KEY_RULE);
    byError = copyOf("recovery.byError", byError, ERROR_CODE_RULE);
    Objects.requireNonNull(progressiveOrder, "progressiveOrder");
    Objects.requireNonNull(retry, "retry");
  }

  /** Immediate rollback for every failure, newest checkpoint first, default retry policy. */
  public static RecoveryConfig defaults() {
    return new RecoveryConfig(
        DEFAULT_STRATEGY, Map.of(), Map.of(), DEFAULT_PROGRESSIVE_ORDER, RetryConfig.defaults());
  }

  /** Whether {@code code} is usable as a key of {@code byError}. */
  static boolean isValidErrorCode(Object code) {
    return code instanceof String text && ERROR_CODE.matcher(text).matches();
  }

  private static Map<String, RecoveryStrategy> copyOf(
      String path, Map<String, RecoveryStrategy> strategies, String keyRule) {
    Objects.requireNonNull(strategies, path);
    boolean errorCodes = keyRule.equals(ERROR_CODE_RULE);
    Map<String, RecoveryStrategy> copy = new LinkedHashMap<>();
    strategies.forEach((key, strategy) -> {
      boolean valid = errorCodes ? isValidErrorCode(key) : GatesConfig.isValidProcessKey(key);
      if (!valid) {
        throw ConfigException.invalidValue(
            path + ": expected " + keyRule + ", got " + YamlValues.describe(key));
      }
      copy.put(key, Objects.requireNonNull(strategy, path + "." + key));
    });
    return Collections.unmodifiableMap(copy);
  }
}
