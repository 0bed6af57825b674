package io.cortex.engine;

import io.cortex.db.CortexSchema;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.config.CortexConfig;
import java.time.Clock;
import java.util.ArrayList;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Adds Cortex to a Camunda 7 engine: phases marked with {@code cortex.phase} take git
 * checkpoints, and the catalogue tables are created in the engine's database.
 *
 * <pre>{@code
 * ProcessEngineConfigurationImpl config = ...; // any engine configuration
 * config.getProcessEnginePlugins().add(new CortexProcessEnginePlugin(ConfigLoader.load(path)));
 * ProcessEngine engine = config.buildProcessEngine();
 * Cortex cortex = Cortex.on(engine);
 * }</pre>
 */
public class CortexProcessEnginePlugin extends AbstractProcessEnginePlugin {

  private final CortexConfig config;
  private final Clock clock;
  private final Checkpointer checkpointer;
  private final Observers observers = new Observers();

  public CortexProcessEnginePlugin(CortexConfig config) {
    this(config, Clock.systemUTC());
  }

  public CortexProcessEnginePlugin(CortexConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.checkpointer = new Checkpointer(config.checkpoint().maxFileSizeBytes(), clock,
        new EngineCheckpointEvents(observers, clock));
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    registerParseListener(configuration);
    registerSessionFactory(configuration);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
    CortexSchema.create(configuration.getDataSource());
  }

  private static void registerSessionFactory(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomSessionFactories() == null) {
      configuration.setCustomSessionFactories(new ArrayList<>());
    }
    configuration.getCustomSessionFactories().add(new CortexSqlSession.Factory());
  }

  private void registerParseListener(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new ArrayList<BpmnParseListener>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new PhaseParseListener(checkpointer, clock));
  }

  public CortexConfig config() {
    return config;
  }

  public Checkpointer checkpointer() {
    return checkpointer;
  }

  public Observers observers() {
    return observers;
  }

  public Clock clock() {
    return clock;
  }
}
