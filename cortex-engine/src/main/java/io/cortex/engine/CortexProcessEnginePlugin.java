package io.cortex.engine;

import io.cortex.config.CortexConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.CompositeProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;

/**
 * Adds Cortex to a Camunda 7 engine: phases marked with {@code cortex.phase} take git checkpoints, the shipped
 * BPMN's delegates resolve, job retries follow the configured backoff, and Cortex's tables are created in the
 * engine's database. It only registers; {@link CortexServices} holds what it registers.
 *
 * <pre>{@code
 * ProcessEngineConfigurationImpl config = ...; // any engine configuration
 * config.getProcessEnginePlugins().add(new CortexProcessEnginePlugin());          // built-in defaults
 * config.getProcessEnginePlugins().add(new CortexProcessEnginePlugin(ConfigLoader.load(path)));
 * ProcessEngine engine = config.buildProcessEngine();
 * Cortex cortex = Cortex.on(engine);
 * }</pre>
 *
 * In a {@code camunda.cfg.xml} or {@code bpm-platform.xml}, name this class as a plugin; the configuration file is
 * then the {@code configFile} property (unset: the built-in defaults), see docs/embedding.md.
 */
public class CortexProcessEnginePlugin extends AbstractProcessEnginePlugin {

  private CortexServices services;
  private String configFile;

  /** With the configuration {@code configFile} names, else the built-in defaults (docs/configuration.md). */
  public CortexProcessEnginePlugin() {
  }

  public CortexProcessEnginePlugin(CortexConfig config) {
    this(config, Clock.systemUTC());
  }

  public CortexProcessEnginePlugin(CortexConfig config, Clock clock) {
    this.services = new CortexServices(config, clock);
  }

  /**
   * The YAML configuration file, for engines configured from XML ({@code <property name="configFile">});
   * relative paths are relative to the working directory.
   */
  public void setConfigFile(String configFile) {
    if (services != null) {
      throw new IllegalStateException("The configuration of this plugin is set already");
    }
    this.configFile = configFile;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    registerParseListeners(configuration);
    registerSessionFactory(configuration);
    registerDelegates(configuration);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    services().engineConfigured(configuration);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    services().engineBuilt(processEngine);
  }

  /** What this plugin registered: the services of its engine. */
  public synchronized CortexServices services() {
    if (services == null) {
      services = new CortexServices(PluginConfiguration.load(configFile), Clock.systemUTC());
    }
    return services;
  }

  /**
   * The Cortex plugin of an engine configuration, also when it sits inside a {@link CompositeProcessEnginePlugin}
   * (Spring Boot registers every plugin bean that way).
   */
  public static Optional<CortexProcessEnginePlugin> of(ProcessEngineConfigurationImpl configuration) {
    return find(configuration.getProcessEnginePlugins());
  }

  private static Optional<CortexProcessEnginePlugin> find(List<ProcessEnginePlugin> plugins) {
    for (ProcessEnginePlugin plugin : plugins == null ? List.<ProcessEnginePlugin>of() : plugins) {
      if (plugin instanceof CortexProcessEnginePlugin cortex) {
        return Optional.of(cortex);
      }
      if (plugin instanceof CompositeProcessEnginePlugin composite) {
        Optional<CortexProcessEnginePlugin> inside = find(composite.getPlugins());
        if (inside.isPresent()) {
          return inside;
        }
      }
    }
    return Optional.empty();
  }

  private void registerParseListeners(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new PhaseParseListener(services().checkpointer(), services().clock()));
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new RetryCycleParseListener(services().config().recovery().retry()));
  }

  private static void registerSessionFactory(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomSessionFactories() == null) {
      configuration.setCustomSessionFactories(new ArrayList<>());
    }
    configuration.getCustomSessionFactories().add(new CortexSqlSession.Factory());
  }

  /** The delegates the BPMN names in expressions ({@code ${cortexGate}}, …), as the engine's beans. */
  private void registerDelegates(ProcessEngineConfigurationImpl configuration) {
    configuration.setBeans(EngineBeans.with(configuration.getBeans(), services().delegates()));
  }
}
