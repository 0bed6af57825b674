package io.cortex.engine;

import io.cortex.db.CortexSchema;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.config.CortexConfig;
import java.time.Clock;
import io.cortex.db.Transactions;
import io.cortex.gate.GateRunner;
import io.cortex.intent.IntentOperation;
import io.cortex.intent.InterruptedOperations;
import io.cortex.lock.RepositoryLocks;
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

  /** How long the engine's start waits for a repository's lock to finish what was interrupted there. */
  private static final java.time.Duration RESUME_AT_START_TIMEOUT = java.time.Duration.ofSeconds(2);

  private final CortexConfig config;
  private final Clock clock;
  private final Checkpointer checkpointer;
  private final Observers observers = new Observers();
  /** Serialises checkpoint, rollback, undo, recovery and retention per repository (JVM, then the engine's database). */
  private final RepositoryLocks locks = new RepositoryLocks();
  private Transactions transactions;
  private RollbackService rollbacks;
  private RecoveryService recovery;
  private InterruptedOperations interrupted;
  private InterruptedOperationIncidents incidents;
  private Map<String, Object> delegates;

  private final io.cortex.progress.ProgressListeners progress = new io.cortex.progress.ProgressListeners();

  public CortexProcessEnginePlugin(CortexConfig config) {
    this(config, Clock.systemUTC());
  }

  /** Listeners to the long steps of this engine's checkpoints and rollbacks (the CLI's progress bar). */
  public io.cortex.progress.ProgressListeners progress() {
    return progress;
  }

  public CortexProcessEnginePlugin(CortexConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.checkpointer = new Checkpointer(config.checkpoint().maxFileSizeBytes(), clock,
        new EngineCheckpointEvents(observers, clock), locks, CortexProcessEnginePlugin::releaseAtTransactionEnd, progress);
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
        result -> observers.notifyAll(o -> o.rollbackCompleted(result)), locks);
    this.incidents = new InterruptedOperationIncidents(transactions);
    InterruptedOperations interrupted = new InterruptedOperations(transactions, clock, Map.of(
        IntentOperation.ROLLBACK, rollbacks::finishInterrupted,
        IntentOperation.UNDO, rollbacks::finishInterrupted,
        IntentOperation.RETENTION, RetentionService::finishInterrupted), incidents::raise);
    this.interrupted = interrupted;
    locks.afterAcquire(interrupted::resume);
    this.recovery = new RecoveryService(transactions, rollbacks, checkpointer, config.gates(),
        config.recovery().progressiveOrder(), new GateRunner(), clock,
        attempt -> observers.notifyAll(o -> o.recoveryAttempted(attempt)), locks);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
    CortexSchema.create(configuration.getDataSource());
    locks.useDatabase(plainDataSource(configuration.getDataSource()));
    incidents.engineStarted(processEngine);
    // operations a process that died half-way left pending; a repository some live process holds is left to it
    interrupted.resumeAll(locks.withTimeout(RESUME_AT_START_TIMEOUT));
  }

  /**
   * A checkpoint's lock must outlive the engine transaction that writes its catalogue row (see
   * {@link Checkpointer}): released by the transaction's COMMITTED or ROLLED_BACK listener, after
   * {@link CortexSqlSession} has committed or rolled back the row.
   */
  private static boolean releaseAtTransactionEnd(Runnable release) {
    org.camunda.bpm.engine.impl.interceptor.CommandContext context =
        org.camunda.bpm.engine.impl.context.Context.getCommandContext();
    if (context == null) {
      return false;
    }
    context.getSession(CortexSqlSession.class); // registers its commit listener first, if not done yet
    org.camunda.bpm.engine.impl.cfg.TransactionContext transaction = context.getTransactionContext();
    boolean[] done = {false};
    org.camunda.bpm.engine.impl.cfg.TransactionListener once = committed -> {
      if (!done[0]) {
        done[0] = true;
        release.run();
      }
    };
    transaction.addTransactionListener(org.camunda.bpm.engine.impl.cfg.TransactionState.COMMITTED, once);
    transaction.addTransactionListener(org.camunda.bpm.engine.impl.cfg.TransactionState.ROLLED_BACK, once);
    return true;
  }

  /**
   * The connections the repository lock holds its row lock on. Not the engine's transaction: Spring's
   * transaction-aware proxy would hand out the running engine transaction's connection, so it is looked
   * through (by name: no Spring dependency here). Not MyBatis' pool either: when that pool runs dry it
   * reclaims a connection checked out for longer than 20 s by rolling it back, which would release a lock
   * whose holder still works (a recovery running a gate); the lock opens its own connections instead.
   */
  private static javax.sql.DataSource plainDataSource(javax.sql.DataSource dataSource) {
    javax.sql.DataSource current = dataSource;
    for (int i = 0; i < 5 && current != null
        && current.getClass().getName().equals("org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy"); i++) {
      try {
        current = (javax.sql.DataSource) current.getClass().getMethod("getTargetDataSource").invoke(current);
      } catch (ReflectiveOperationException | ClassCastException e) {
        return dataSource;
      }
    }
    if (current instanceof org.apache.ibatis.datasource.pooled.PooledDataSource pooled) {
      org.apache.ibatis.datasource.unpooled.UnpooledDataSource unpooled =
          new org.apache.ibatis.datasource.unpooled.UnpooledDataSource(
              org.camunda.bpm.engine.impl.util.ReflectUtil.getClassLoader(), pooled.getDriver(), pooled.getUrl(),
              pooled.getUsername(), pooled.getPassword());
      if (pooled.getDriverProperties() != null) {
        unpooled.setDriverProperties(pooled.getDriverProperties());
      }
      return unpooled;
    }
    return current == null ? dataSource : current;
  }

  /** The delegates the BPMN names in expressions ({@code ${cortexGate}}, {@code ${cortexImmediate}}, …). */
  private void registerDelegates(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getBeans() == null) {
      configuration.setBeans(new HashMap<>());
    }
    configuration.getBeans().putAll(delegates());
  }

  /**
   * The beans the BPMN names in expressions ({@code ${cortexGate}}, {@code ${cortexRetentionSchedule}}, …),
   * by name; the same instances every call. A plain engine gets them through its configuration's beans; in
   * Spring the engine resolves expressions from the application context instead, so register them there as
   * beans of the same names (the server's auto-configuration does).
   */
  public synchronized Map<String, Object> delegates() {
    if (delegates != null) {
      return delegates;
    }
    Map<String, Object> beans = new java.util.LinkedHashMap<>();
    beans.put("cortexGate", new GateDelegate(config.gates(), new GateRunner()));
    beans.put("cortexChooseStrategy", RecoveryDelegates.chooseStrategy(config.recovery()));
    JavaDelegate attempt = RecoveryDelegates.attempt(this::recovery);
    beans.put("cortexImmediate", attempt);
    beans.put("cortexProgressive", attempt);
    beans.put("cortexDecompose", attempt);
    beans.put("cortexRecoveryPoint", RecoveryDelegates.recoveryPoint(this::recovery));
    beans.put("cortexOperatorRollback", RecoveryDelegates.operatorRollback(this::recovery));
    beans.put("cortexRetentionSchedule", config.retention().schedule());
    beans.put("cortexAutoCheckpointSchedule", "R/" + java.time.Duration.ofMillis(
        Math.max(config.checkpoint().autoCheckpoint().intervalMs(), config.checkpoint().minIntervalMs())));
    beans.put("cortexAutoCheckpoint", (JavaDelegate) execution -> takeAutoCheckpoints(execution.getProcessEngine()));
    beans.put("cortexRetention", (JavaDelegate) execution -> runRetention(execution.getProcessEngineServices().getRuntimeService()));
    delegates = java.util.Collections.unmodifiableMap(beans);
    return delegates;
  }

  /**
   * The Cortex plugin of an engine configuration, also when it sits inside a
   * {@link org.camunda.bpm.engine.impl.cfg.CompositeProcessEnginePlugin} (Spring Boot registers every plugin bean that way).
   */
  public static java.util.Optional<CortexProcessEnginePlugin> of(ProcessEngineConfigurationImpl configuration) {
    return find(configuration.getProcessEnginePlugins());
  }

  private static java.util.Optional<CortexProcessEnginePlugin> find(
      java.util.List<org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin> plugins) {
    for (org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin plugin : plugins == null
        ? java.util.List.<org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin>of() : plugins) {
      if (plugin instanceof CortexProcessEnginePlugin cortex) {
        return java.util.Optional.of(cortex);
      }
      if (plugin instanceof org.camunda.bpm.engine.impl.cfg.CompositeProcessEnginePlugin composite) {
        java.util.Optional<CortexProcessEnginePlugin> inside = find(composite.getPlugins());
        if (inside.isPresent()) {
          return inside;
        }
      }
    }
    return java.util.Optional.empty();
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
    return runRetention(runtime, false);
  }

  /** Retention now, or only what it would delete ({@code dryRun}). */
  public RetentionReport runRetention(RuntimeService runtime, boolean dryRun) {
    RetentionPolicy policy = new RetentionPolicy(config.checkpoint().maxCheckpoints(), config.checkpoint().retentionMs(),
        config.retention().maxTotalBytes());
    return new RetentionService(locks).run(transactions,
        processInstanceId -> runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0,
        clock, policy, dryRun);
  }

  /** AUTO_PERIODIC checkpoints of running sessions whose phase has run long (the cortex-auto-checkpoint process). */
  public java.util.List<io.cortex.checkpoint.Checkpoint> takeAutoCheckpoints(ProcessEngine engine) {
    if (!config.checkpoint().autoCheckpoint().enabled()) {
      return java.util.List.of();
    }
    Map<String, String> active = new java.util.LinkedHashMap<>();
    PhaseLookup phases = new PhaseLookup(engine);
    for (io.cortex.checkpoint.Session session : transactions.run(c -> new io.cortex.checkpoint.Catalogue(c).sessions())) {
      if (session.processInstanceId() != null && engine.getRuntimeService().createProcessInstanceQuery()
          .processInstanceId(session.processInstanceId()).count() > 0) {
        phases.activePhases(session.processInstanceId()).stream().findFirst()
            .ifPresent(phase -> active.put(session.sessionId(), phase.phase()));
      }
    }
    return new io.cortex.checkpoint.AutoCheckpoints(checkpointer, transactions, clock,
        config.checkpoint().autoCheckpoint().intervalMs(), config.checkpoint().minIntervalMs(), locks).run(active);
  }

  public RollbackService rollbacks() {
    return rollbacks;
  }

  public RecoveryService recovery() {
    return recovery;
  }

  /** The repository locks of this engine (in this JVM, and in its database once the engine is built). */
  public RepositoryLocks locks() {
    return locks;
  }

  public Observers observers() {
    return observers;
  }

  public Clock clock() {
    return clock;
  }
}
