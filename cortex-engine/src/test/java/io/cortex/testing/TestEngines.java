package io.cortex.testing;

import io.cortex.Cortex;
import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.engine.EmbeddedEngine;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;

/** Real Camunda engines on private in-memory H2 databases, job executor off, Cortex plugged in. */
public final class TestEngines {

  private TestEngines() {
  }

  /**
   * A configuration whose H2 file database in {@code dataDir} several OS processes of a test open at once
   * ({@code AUTO_SERVER=TRUE}): how the tests of the cross-process database lock run on H2, as nodes on
   * PostgreSQL would. Cortex itself never configures it — one process owns a data directory's database.
   */
  public static io.cortex.config.CortexConfig sharedH2(java.nio.file.Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("cortex") + ";AUTO_SERVER=TRUE";
    return io.cortex.config.ConfigLoader.parse("database:\n  url: \"" + url + "\"\n", "shared-h2 test configuration");
  }

  public static ProcessEngine withPlugin(CortexConfig config) {
    StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
    configuration.setProcessEngineName("test-" + UUID.randomUUID());
    configuration.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
    configuration.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    configuration.setJobExecutorActivate(false);
    configuration.setMetricsEnabled(false);
    configuration.setDbMetricsReporterActivate(false);
    configuration.getProcessEnginePlugins().add(new CortexProcessEnginePlugin(config));
    return configuration.buildProcessEngine();
  }

  /** An engine with the plugin and the three shipped workflows deployed, wrapped in the API. */
  public static Cortex cortex() {
    return cortex(CortexConfig.defaults());
  }

  public static Cortex cortex(CortexConfig config) {
    ProcessEngine engine = withPlugin(config);
    EmbeddedEngine.deployWorkflows(engine);
    return Cortex.on(engine);
  }
}
