package io.cortex.config;

import io.cortex.base.PhaseProperty;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Maps the sections of a parsed {@code cortex.yaml} onto the config records: which key holds
 * which value, with which default and range. Problems go to the sections' shared problem list;
 * the records are built from valid values and defaults only, so building never throws.
 */
final class ConfigBinder {

  private ConfigBinder() {}

  static CortexConfig bind(YamlSection root) {
    return new CortexConfig(
        checkpoint(root.section("checkpoint")),
        recovery(root.section("recovery")),
        gates(root.section("gates")),
        retention(root.section("retention")),
        database(root.section("database")),
        server(root.section("server")));
  }

  private static CheckpointConfig checkpoint(YamlSection section) {
    return new CheckpointConfig(
        section.integer("maxCheckpoints", CheckpointConfig.DEFAULT_MAX_CHECKPOINTS,
            CheckpointConfig.MIN_MAX_CHECKPOINTS, Integer.MAX_VALUE),
        section.longInteger("retentionMs", CheckpointConfig.DEFAULT_RETENTION_MS,
            CheckpointConfig.MIN_RETENTION_MS, Long.MAX_VALUE),
        section.longInteger("minIntervalMs", CheckpointConfig.DEFAULT_MIN_INTERVAL_MS,
            CheckpointConfig.MIN_MIN_INTERVAL_MS, Long.MAX_VALUE),
        section.longInteger("maxFileSizeBytes", CheckpointConfig.DEFAULT_MAX_FILE_SIZE_BYTES,
            CheckpointConfig.MIN_MAX_FILE_SIZE_BYTES, Long.MAX_VALUE),
        autoCheckpoint(section.section("autoCheckpoint")));
  }

  private static AutoCheckpointConfig autoCheckpoint(YamlSection section) {
    return new AutoCheckpointConfig(
        section.bool("enabled", AutoCheckpointConfig.DEFAULT_ENABLED),
        section.longInteger("intervalMs", AutoCheckpointConfig.DEFAULT_INTERVAL_MS,
            AutoCheckpointConfig.MIN_INTERVAL_MS, Long.MAX_VALUE));
  }

  private static RecoveryConfig recovery(YamlSection section) {
    return new RecoveryConfig(
        section.choice("strategy", RecoveryStrategy.class, RecoveryConfig.DEFAULT_STRATEGY),
        strategies(section.section("byProcess"), GatesConfig::isValidProcessKey,
            GatesConfig.PROCESS_KEY_RULE),
        strategies(section.section("byError"), RecoveryConfig::isValidErrorCode,
            RecoveryConfig.ERROR_CODE_RULE),
        section.choice("progressiveOrder", ProgressiveOrder.class,
            RecoveryConfig.DEFAULT_PROGRESSIVE_ORDER),
        retry(section.section("retry")));
  }

  /** A mapping of user-chosen keys ({@code keyRule}) to strategies; each given one required. */
  private static Map<String, RecoveryStrategy> strategies(
      YamlSection section, Predicate<Object> validKey, String keyRule) {
    Map<String, RecoveryStrategy> strategies = new LinkedHashMap<>();
    for (Object key : section.entryKeys()) {
      if (!validKey.test(key)) {
        section.keyProblem(key, keyRule, upperCaseHint(key, validKey));
        continue;
      }
      String name = (String) key;
      RecoveryStrategy strategy = section.choice(name, RecoveryStrategy.class, null);
      if (strategy != null) {
        strategies.put(name, strategy);
      }
    }
    return strategies;
  }

  /** Suggests the upper-case spelling of an error code written in lower case. */
  private static String upperCaseHint(Object key, Predicate<Object> validKey) {
    if (key instanceof String text) {
      String upper = text.strip().toUpperCase(Locale.ROOT);
      if (!upper.equals(text) && validKey.test(upper)) {
        return " (error codes are case-sensitive; did you mean '" + upper + "'?)";
      }
    }
    return "";
  }

  private static GatesConfig gates(YamlSection section) {
    long timeoutMs = section.longInteger("timeoutMs", GatesConfig.DEFAULT_TIMEOUT_MS,
        GatesConfig.MIN_TIMEOUT_MS, Long.MAX_VALUE);
    int outputLimitBytes = section.integer("outputLimitBytes",
        GatesConfig.DEFAULT_OUTPUT_LIMIT_BYTES, GatesConfig.MIN_OUTPUT_LIMIT_BYTES,
        Integer.MAX_VALUE);
    return new GatesConfig(
        timeoutMs, outputLimitBytes, workflows(section.section("workflows"), timeoutMs));
  }

  /** Process definition key to phase to gate; a gate's time limit defaults to the section's. */
  private static Map<String, Map<String, GateConfig>> workflows(
      YamlSection section, long defaultTimeoutMs) {
    Map<String, Map<String, GateConfig>> workflows = new LinkedHashMap<>();
    for (Object key : section.entryKeys()) {
      if (!GatesConfig.isValidProcessKey(key)) {
        section.keyProblem(key, GatesConfig.PROCESS_KEY_RULE, "");
        continue;
      }
      String processKey = (String) key;
      workflows.put(processKey, phaseGates(section.section(processKey), defaultTimeoutMs));
    }
    return workflows;
  }

  private static Map<String, GateConfig> phaseGates(YamlSection section, long defaultTimeoutMs) {
    Map<String, GateConfig> gates = new LinkedHashMap<>();
    Set<String> phases = new LinkedHashSet<>();
    for (Object key : section.entryKeys()) {
      if (!(key instanceof String phase) || !PhaseProperty.isValidPhaseName(phase)) {
        section.keyProblem(key, GatesConfig.PHASE_RULE, "");
        continue;
      }
      Optional<String> known = GatesConfig.sameIgnoringCase(phases, phase);
      if (known.isPresent()) {
        section.problem(phase, GatesConfig.duplicatePhase(known.get()));
        continue;
      }
      phases.add(phase);
      GateConfig gate = gate(section.section(phase), defaultTimeoutMs);
      if (gate != null) {
        gates.put(phase, gate);
      }
    }
    return gates;
  }

  /** The gate, or {@code null} when its command is missing (reported). */
  private static GateConfig gate(YamlSection section, long defaultTimeoutMs) {
    String command = section.requiredText("command", GateConfig.COMMAND_RULE);
    GateExpectation expect =
        section.choice("expect", GateExpectation.class, GateConfig.DEFAULT_EXPECT);
    long timeoutMs = section.longInteger(
        "timeoutMs", defaultTimeoutMs, GatesConfig.MIN_TIMEOUT_MS, Long.MAX_VALUE);
    return command == null ? null : new GateConfig(command, expect, timeoutMs);
  }

  private static RetentionConfig retention(YamlSection section) {
    return new RetentionConfig(
        schedule(section),
        section.longInteger("maxTotalBytes", RetentionConfig.DEFAULT_MAX_TOTAL_BYTES,
            RetentionConfig.MIN_MAX_TOTAL_BYTES, Long.MAX_VALUE));
  }

  /** The schedule; blank takes the default. */
  private static String schedule(YamlSection section) {
    String schedule = section.string("schedule", RetentionConfig.DEFAULT_SCHEDULE).strip();
    if (schedule.isEmpty()) {
      return RetentionConfig.DEFAULT_SCHEDULE;
    }
    Optional<String> problem = RetentionConfig.scheduleProblem(schedule);
    if (problem.isPresent()) {
      section.problem("schedule", problem.get());
      return RetentionConfig.DEFAULT_SCHEDULE;
    }
    return schedule;
  }

  private static RetryConfig retry(YamlSection section) {
    return new RetryConfig(
        section.integer("maxAttempts", RetryConfig.DEFAULT_MAX_ATTEMPTS,
            RetryConfig.MIN_MAX_ATTEMPTS, RetryConfig.MAX_MAX_ATTEMPTS),
        section.longInteger("initialDelayMs", RetryConfig.DEFAULT_INITIAL_DELAY_MS,
            RetryConfig.MIN_INITIAL_DELAY_MS, Long.MAX_VALUE),
        section.number("backoffMultiplier", RetryConfig.DEFAULT_BACKOFF_MULTIPLIER,
            RetryConfig.MIN_BACKOFF_MULTIPLIER));
  }

  private static DatabaseConfig database(YamlSection section) {
    return new DatabaseConfig(
        jdbcUrl(section),
        section.string("username", DatabaseConfig.DEFAULT_USERNAME),
        section.string("password", DatabaseConfig.DEFAULT_PASSWORD));
  }

  private static String jdbcUrl(YamlSection section) {
    String url = section.string("url", DatabaseConfig.DEFAULT_URL).strip();
    if (!url.isEmpty() && !url.startsWith(DatabaseConfig.JDBC_PREFIX)) {
      section.problem("url", DatabaseConfig.urlRule() + ", got " + YamlValues.describe(url));
      return DatabaseConfig.DEFAULT_URL;
    }
    java.util.Optional<String> refused = JdbcUrlRules.problem(url);
    if (refused.isPresent()) {
      section.problem("url", refused.get());
      return DatabaseConfig.DEFAULT_URL;
    }
    return url;
  }

  private static String address(YamlSection section) {
    String address = section.string("address", null);
    if (address == null) {
      return null;
    }
    String problem = ServerConfig.addressProblem(address.strip());
    if (problem != null) {
      section.problem("address", problem);
      return null;
    }
    return address.strip();
  }

  private static ServerConfig server(YamlSection section) {
    return new ServerConfig(section.integer("port", ServerConfig.DEFAULT_PORT,
        ServerConfig.MIN_PORT, ServerConfig.MAX_PORT), address(section));
  }
}
