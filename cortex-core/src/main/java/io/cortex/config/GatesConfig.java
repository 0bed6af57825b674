package io.cortex.config;

import io.cortex.base.PhaseProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The phase gates ({@code gates} section): per process definition key and phase, a command that
 * verifies the phase's work before the workflow moves on. A phase without a gate passes; by
 * default there are no gates at all.
 *
 * <pre>{@code
 * Optional<GateConfig> gate = config.gates().gateFor("cortex-tdd", "green");   // the GREEN gate
 * }</pre>
 *
 * @param timeoutMs time limit of a gate that sets none itself, at least {@value #MIN_TIMEOUT_MS}
 * @param outputLimitBytes bytes of a gate's output kept (the tail) in checkpoint metrics and
 *     incidents, at least {@value #MIN_OUTPUT_LIMIT_BYTES}
 * @param workflows process definition key to phase name to gate; phase names are unique ignoring
 *     case and are looked up ignoring case; kept in the given order, unmodifiable
 */
public record GatesConfig(
    long timeoutMs, int outputLimitBytes, Map<String, Map<String, GateConfig>> workflows) {

  /** Ten minutes. */
  public static final long DEFAULT_TIMEOUT_MS = 600_000L;
  public static final long MIN_TIMEOUT_MS = 1_000L;
  public static final int DEFAULT_OUTPUT_LIMIT_BYTES = 4_096;
  public static final int MIN_OUTPUT_LIMIT_BYTES = 256;
  static final String PROCESS_KEY_RULE = "a process definition key (non-blank text)";
  static final String PHASE_RULE = "a phase name (" + PhaseProperty.RULE + ")";

  public GatesConfig {
    Ranges.requireInteger("gates.timeoutMs", timeoutMs, MIN_TIMEOUT_MS, Long.MAX_VALUE);
    Ranges.requireInteger("gates.outputLimitBytes", outputLimitBytes, MIN_OUTPUT_LIMIT_BYTES,
        Integer.MAX_VALUE);
    workflows = copyOf(workflows);
  }

  /** Ten minutes per gate, 4096 bytes of output kept, no gates. */
  public static GatesConfig defaults() {
    return new GatesConfig(DEFAULT_TIMEOUT_MS, DEFAULT_OUTPUT_LIMIT_BYTES, Map.of());
  }

  /**
   * The gate of {@code phase} (in any case) in the process {@code processKey}, or empty when
   * there is none (the phase then passes).
   */
  public Optional<GateConfig> gateFor(String processKey, String phase) {
    if (processKey == null || phase == null) {
      return Optional.empty();
    }
    Map<String, GateConfig> gates = workflows.getOrDefault(processKey, Map.of());
    return gates.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(phase))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Whether {@code processKey} is usable as a key of {@code workflows}. */
  static boolean isValidProcessKey(Object processKey) {
    return processKey instanceof String text && !text.isBlank();
  }

  /** The phase name among {@code phases} equal to {@code phase} ignoring case, if any. */
  static Optional<String> sameIgnoringCase(Iterable<String> phases, String phase) {
    for (String known : phases) {
      if (known.equalsIgnoreCase(phase)) {
        return Optional.of(known);
      }
    }
    return Optional.empty();
  }

  private static Map<String, Map<String, GateConfig>> copyOf(
      Map<String, Map<String, GateConfig>> workflows) {
    Objects.requireNonNull(workflows, "workflows");
    Map<String, Map<String, GateConfig>> copy = new LinkedHashMap<>();
    workflows.forEach((processKey, gates) -> {
      if (!isValidProcessKey(processKey)) {
        throw ConfigException.invalidValue("gates.workflows: expected " + PROCESS_KEY_RULE
            + ", got " + YamlValues.describe(processKey));
      }
      Objects.requireNonNull(gates, "gates of " + processKey);
      Map<String, GateConfig> phases = new LinkedHashMap<>();
      gates.forEach((phase, gate) -> {
        String path = "gates.workflows." + processKey + "." + phase;
        if (!PhaseProperty.isValidPhaseName(phase)) {
          throw ConfigException.invalidValue(path + ": expected " + PHASE_RULE + ", got "
              + YamlValues.describe(phase));
        }
        sameIgnoringCase(phases.keySet(), phase).ifPresent(known -> {
          throw ConfigException.invalidValue(path + ": " + duplicatePhase(known));
        });
        phases.put(phase, Objects.requireNonNull(gate, path));
      });
      copy.put(processKey, Collections.unmodifiableMap(phases));
    });
    return Collections.unmodifiableMap(copy);
  }

  /** Why a phase cannot be configured next to {@code known}, which differs only in case. */
  static String duplicatePhase(String known) {
    return "the phase '" + known + "' has a gate already (phase names ignore case)";
  }
}
