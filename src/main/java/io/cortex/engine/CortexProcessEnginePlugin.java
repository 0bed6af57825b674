package io.cortex.engine;

import io.cortex.db.CortexSchema;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.config.CortexConfig;
import java.time.Clock;
import io.cortex.db.Transactions;
import io.cortex.gate.GateRunner;
import io.cortex.recovery.RecoveryService;
import io.cortex.retention.RetentionPolicy;
import io.cortex.retention.RetentionReport;
import io.cortex.retention.RetentionService;
import org.camunda.bpm.engine.RuntimeService;
import io.cortex.rollback.RollbackService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.JavaDelegate;
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
  private Transactions transactions;
  private RollbackService rollbacks;
  private RecoveryService recovery;

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
    registerDelegates(configuration);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    // Rollbacks and recoveries commit their own steps (PRE_ROLLBACK before git is touched), also
    // when they run inside a job's transaction: hence a new transaction per step.
    this.transactions = new NewTransactions(configuration);
    this.rollbacks = new RollbackService(transactions, checkpointer, clock,
        result -> observers.notifyAll(o -> o.rollbackCompleted(result)));
    this.recovery = new RecoveryService(transactions, rollbacks, checkpointer, config.gates(),
        config.recovery().progressiveOrder(), new GateRunner(), clock,
        attempt -> observers.notifyAll(o -> o.recoveryAttempted(attempt)));
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
    CortexSchema.create(configuration.getDataSource());
  }

  /** The delegates the BPMN names in expressions ({@code ${cortexGate}}, {@code ${cortexImmediate}}, …). */
  private void registerDelegates(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getBeans() == null) {
      configuration.setBeans(new HashMap<>());
    }
    Map<Object, Object> beans = configuration.getBeans();
    beans.put("cortexGate", new GateDelegate(config.gates(), new GateRunner()));
    beans.put("cortexChooseStrategy", RecoveryDelegates.chooseStrategy(config.recovery()));
    JavaDelegate attempt = RecoveryDelegates.attempt(this::recovery);
    beans.put("cortexImmediate", attempt);
    beans.put("cortexProgressive", attempt);
    beans.put("cortexDecompose", attempt);
    beans.put("cortexRecoveryPoint", RecoveryDelegates.recoveryPoint(this::recovery));
    beans.put("cortexOperatorRollback", RecoveryDelegates.operatorRollback(this::recovery));
    beans.put("cortexRetentionSchedule", config.retention().schedule());
    beans.put("cortexRetention", (JavaDelegate) execution -> runRetention(execution.getProcessEngineServices().getRuntimeService()));
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
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<BpmnParseListener>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new RetryCycleParseListener(config.recovery().retry()));
  }

  public CortexConfig config() {
    return config;
  }

  public Checkpointer checkpointer() {
    return checkpointer;
  }

  /**
   * Applies retention now: {@code checkpoint.maxCheckpoints}, {@code checkpoint.retentionMs} and
   * {@code retention.maxTotalBytes}. Run by the {@code cortex-retention} timer process.
   */
  public RetentionReport runRetention(RuntimeService runtime) {
    RetentionPolicy policy = new RetentionPolicy(config.checkpoint().maxCheckpoints(), config.checkpoint().retentionMs(),
        config.retention().maxTotalBytes());
    return new RetentionService().run(transactions,
        processInstanceId -> runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0,
        clock, policy);
  }

  public RollbackService rollbacks() {
    return rollbacks;
  }

  public RecoveryService recovery() {
    return recovery;
  }

  public Observers observers() {
    return observers;
  }

  public Clock clock() {
    return clock;
  }
}
