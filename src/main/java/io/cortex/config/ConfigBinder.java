package io.cortex.config;

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
        retry(section.section("retry")));
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
    return url;
  }

  private static ServerConfig server(YamlSection section) {
    return new ServerConfig(section.integer("port", ServerConfig.DEFAULT_PORT,
        ServerConfig.MIN_PORT, ServerConfig.MAX_PORT));
  }
}
