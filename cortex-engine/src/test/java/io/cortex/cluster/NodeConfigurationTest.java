package io.cortex.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.base.CortexException;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.engine.EmbeddedEngine;
import java.nio.file.Path;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.junit.jupiter.api.Test;

/** What the CLI's engine is built from, for the embedded H2 database and for a cluster's PostgreSQL; no database needed. */
class NodeConfigurationTest {

  @Test
  void aPostgresUrlWithUserAndPasswordConfiguresTheCliEngineForThatDatabase() {
    CortexConfig config = ConfigLoader.parse("""
        database:
          url: jdbc:postgresql://db.example.com:5432/cortex?sslmode=require
          username: cortex
          password: "1234"
        """, "cortex.yaml");

    StandaloneProcessEngineConfiguration engine = EmbeddedEngine.configuration(config, Path.of("/data"));

    assertThat(engine.getJdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/cortex?sslmode=require");
    assertThat(engine.getJdbcDriver()).isEqualTo("org.postgresql.Driver");
    assertThat(engine.getJdbcUsername()).isEqualTo("cortex");
    assertThat(engine.getJdbcPassword()).isEqualTo("1234");
    assertThat(engine.getDatabaseSchemaUpdate()).isEqualTo(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    assertThat(engine.isJobExecutorActivate()).as("a CLI call runs its own jobs").isFalse();
    assertThat(engine.getProcessEngineName()).isEqualTo(EmbeddedEngine.ENGINE_NAME);
  }

  @Test
  void noUrlMeansTheH2FileInTheDataDirectoryWhichNeverListensOnANetworkPort() {
    StandaloneProcessEngineConfiguration engine = EmbeddedEngine.configuration(CortexConfig.defaults(), Path.of("/data"));

    assertThat(engine.getJdbcUrl()).isEqualTo(EmbeddedEngine.h2Url(Path.of("/data")))
        .isEqualTo("jdbc:h2:file:/data/cortex;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE")
        .doesNotContain("AUTO_SERVER");
    assertThat(engine.getJdbcDriver()).isEqualTo("org.h2.Driver");
  }

  @Test
  void aConfiguredH2DatabaseOnDiskWritesEachCommitAtOnce() {
    assertThat(EmbeddedEngine.durable("jdbc:h2:file:/srv/cortex;AUTO_SERVER=TRUE"))
        .isEqualTo("jdbc:h2:file:/srv/cortex;AUTO_SERVER=TRUE;WRITE_DELAY=0");
    assertThat(EmbeddedEngine.durable("jdbc:h2:tcp://db/cortex")).isEqualTo("jdbc:h2:tcp://db/cortex;WRITE_DELAY=0");
    assertThat(EmbeddedEngine.durable("jdbc:h2:file:/srv/c;write_delay=100")).isEqualTo("jdbc:h2:file:/srv/c;write_delay=100");
    assertThat(EmbeddedEngine.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    assertThat(EmbeddedEngine.durable("jdbc:postgresql://db/cortex")).isEqualTo("jdbc:postgresql://db/cortex");
  }

  @Test
  void theDriverComesFromTheUrl() {
    assertThat(EmbeddedEngine.jdbcDriver("jdbc:postgresql://localhost/cortex")).isEqualTo("org.postgresql.Driver");
    assertThat(EmbeddedEngine.jdbcDriver("jdbc:postgresql:cortex")).isEqualTo("org.postgresql.Driver");
    assertThat(EmbeddedEngine.jdbcDriver("jdbc:h2:mem:x")).isEqualTo("org.h2.Driver");
    assertThatThrownBy(() -> EmbeddedEngine.jdbcDriver("jdbc:oracle:thin:@db:1521/cortex"))
        .isInstanceOf(CortexException.class)
        .hasMessage("database.url: no JDBC driver for 'jdbc:oracle:' URLs; Cortex ships the PostgreSQL"
            + " (jdbc:postgresql://host:5432/db) and H2 drivers");
  }
}
