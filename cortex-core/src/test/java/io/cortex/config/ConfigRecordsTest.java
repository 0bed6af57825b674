package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values handed to the records directly, not read from YAML, are checked just the same. */
class ConfigRecordsTest {

  @Test
  void refusesAnOutOfRangeValueNamingItsKeyAndTheValue() {
    // when / then
    assertThatThrownBy(() -> new RetryConfig(0, 1_000L, 2.0))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration value: recovery.retry.maxAttempts:"
            + " expected an integer between 1 and 100, got 0");
  }

  @Test
  void checksEveryBoundedValue() {
    // when / then
    assertThatThrownBy(() -> new CheckpointConfig(0, 0, 0, 1, AutoCheckpointConfig.defaults()))
        .hasMessageContaining("checkpoint.maxCheckpoints");
    assertThatThrownBy(() -> new CheckpointConfig(1, -1, 0, 1, AutoCheckpointConfig.defaults()))
        .hasMessageContaining("checkpoint.retentionMs");
    assertThatThrownBy(() -> new CheckpointConfig(1, 0, -1, 1, AutoCheckpointConfig.defaults()))
        .hasMessageContaining("checkpoint.minIntervalMs");
    assertThatThrownBy(() -> new CheckpointConfig(1, 0, 0, 0, AutoCheckpointConfig.defaults()))
        .hasMessageContaining("checkpoint.maxFileSizeBytes");
    assertThatThrownBy(() -> new AutoCheckpointConfig(true, 999))
        .hasMessageContaining("checkpoint.autoCheckpoint.intervalMs");
    assertThatThrownBy(() -> new RetryConfig(3, -1, 2.0))
        .hasMessageContaining("recovery.retry.initialDelayMs");
    assertThatThrownBy(() -> new RetryConfig(3, 0, Double.NaN))
        .hasMessageContaining("recovery.retry.backoffMultiplier");
    assertThatThrownBy(() -> new ServerConfig(65_536)).hasMessageContaining("server.port");
    assertThatThrownBy(() -> new DatabaseConfig("mysql://x", "sa", ""))
        .hasMessageContaining("database.url");
    assertThatThrownBy(() -> new ServerConfig(8080, "every interface"))
        .hasMessageContaining("server.address").hasMessageContaining("'every interface'");
  }

  @Test
  void databaseUrlsThatRunSqlOrLoadClassesAreRefusedNamingTheSetting() {
    // given
    Map<String, String> refused = Map.of(
        "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM '/etc/passwd'", "INIT",
        "jdbc:h2:file:/d/db;init=CREATE ALIAS X AS 'int x() { return 1; }'", "INIT",
        "jdbc:h2:mem:x;DATABASE_EVENT_LISTENER='com.evil.Listener'", "DATABASE_EVENT_LISTENER",
        "jdbc:h2:mem:x;A=B;runscript", "RUNSCRIPT",
        "jdbc:postgresql://db/cortex?sslfactory=org.evil.Factory", "sslfactory",
        "jdbc:postgresql://db/cortex?ssl=true&loggerFile=/tmp/x", "loggerFile");

    // when / then
    refused.forEach((url, setting) -> assertThatThrownBy(() -> new DatabaseConfig(url, "sa", ""))
        .as(url).hasMessageContaining("database.url").hasMessageContaining("the setting " + setting + " is refused"));
    assertThat(new DatabaseConfig("jdbc:h2:file:/d/db;WRITE_DELAY=0;LOCK_TIMEOUT=10000", "sa", "").url())
        .endsWith("LOCK_TIMEOUT=10000");
    assertThat(new DatabaseConfig("jdbc:postgresql://db:5432/cortex?ssl=true&sslmode=verify-full", "sa", "").url())
        .contains("sslmode");
  }

  @Test
  void databaseNullsTakeTheirDefaults() {
    // when
    DatabaseConfig database = new DatabaseConfig(null, null, null);

    // then
    assertThat(database).isEqualTo(DatabaseConfig.defaults());
    assertThat(database.embedded()).isTrue();
  }

  @Test
  void databaseToStringHidesThePassword() {
    // given
    DatabaseConfig database = new DatabaseConfig("jdbc:postgresql://db/cortex", "cortex", "s3cret");

    // when
    String text = CortexConfig.defaults().toString() + database;

    // then
    assertThat(text).doesNotContain("s3cret").contains("password=****");
  }

  @Test
  void problemsOfARecordAreAvailableOneByOne() {
    // when
    ConfigException e = catchThrowableOfType(
        ConfigException.class, () -> new ServerConfig(0));

    // then
    assertThat(e.problems())
        .containsExactly("server.port: expected an integer between 1 and 65535, got 0");
  }
}
