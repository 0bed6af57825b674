package io.cortex.bench;

import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexProcessEnginePlugin;
import java.util.UUID;
import java.util.function.Function;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/** In-memory H2 engines like the test suite's: full history, no job executor, with or without the Cortex plugin. */
final class Engines {

  private Engines() {
  }

  static ProcessEngine build(String name, boolean withPlugin) {
    StandaloneInMemProcessEngineConfiguration c = new StandaloneInMemProcessEngineConfiguration();
    String id = name + "-" + UUID.randomUUID();
    c.setProcessEngineName("bench-" + id);
    c.setJdbcUrl("jdbc:h2:mem:bench-" + id + ";DB_CLOSE_DELAY=-1");
    c.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
    c.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    c.setJobExecutorActivate(false);
    c.setMetricsEnabled(false);
    c.setDbMetricsReporterActivate(false);
    if (withPlugin) {
      c.getProcessEnginePlugins().add(new CortexProcessEnginePlugin(CortexConfig.defaults()));
    }
    return c.buildProcessEngine();
  }

  /** Runs {@code work} in one engine command (transaction). */
  static <T> T inCommand(ProcessEngine engine, Function<CommandContext, T> work) {
    ProcessEngineConfigurationImpl c = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    return c.getCommandExecutorTxRequired().execute(work::apply);
  }
}
