package io.cortex.config;

import java.util.Objects;

/**
 * The whole, validated Cortex configuration as read from {@code config/cortex.yaml}. Every
 * section and value is immutable; anything the file leaves out has its documented default.
 *
 * <pre>{@code
 * CortexConfig config = ConfigLoader.load(Path.of("config/cortex.yaml"));
 * List<Long> waits = config.recovery().retry().delaysMs();
 * }</pre>
 */
public record CortexConfig(
    CheckpointConfig checkpoint,
    RecoveryConfig recovery,
    GatesConfig gates,
    RetentionConfig retention,
    DatabaseConfig database,
    ServerConfig server) {

  public CortexConfig {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(recovery, "recovery");
    Objects.requireNonNull(gates, "gates");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(server, "server");
  }

  /** The configuration used when there is no file, or the file is empty. */
  public static CortexConfig defaults() {
    return new CortexConfig(
        CheckpointConfig.defaults(),
        RecoveryConfig.defaults(),
        GatesConfig.defaults(),
        RetentionConfig.defaults(),
        DatabaseConfig.defaults(),
        ServerConfig.defaults());
  }
}
