package io.cortex.engine;

import io.cortex.checkpoint.Checkpointer;
import io.cortex.config.CortexConfig;
import io.cortex.db.CortexSchema;
import io.cortex.db.Transactions;
import io.cortex.gate.GateRunner;
import io.cortex.intent.IntentOperation;
import io.cortex.intent.InterruptedOperations;
import io.cortex.lock.RepositoryLocks;
import io.cortex.recovery.RecoveryService;
import io.cortex.retention.RetentionPolicy;
import io.cortex.retention.RetentionReport;
import io.cortex.retention.RetentionService;
import io.cortex.rollback.RollbackService;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Cortex's services for one engine, wired together: checkpoints, locks, rollback, recovery, retention and the
 * resumption of interrupted operations, and the delegates the shipped BPMN names. {@link CortexProcessEnginePlugin}
 * only registers them with the engine; this class builds them, in two steps that follow the engine's start: the
 * parts that need no engine at once, the ones that run in the engine's transactions once its configuration is
 * initialised ({@link #engineConfigured}), and the database work once the engine is built ({@link #engineBuilt}).
 */
public final class CortexServices {

  /** How long the engine's start waits for a repository's lock to finish what was interrupted there. */
  private static final Duration RESUME_AT_START_TIMEOUT = Duration.ofSeconds(2);

  private final CortexConfig config;
  private final Clock clock;
  private final Observers observers = new Observers();
  /** Serialises checkpoint, rollback, undo, recovery and retention per repository (JVM, then the engine's database). */
  private final RepositoryLocks locks = new RepositoryLocks();
  private final Checkpointer checkpointer;
  /** Listeners to the long steps of checkpoints and rollbacks (the CLI's progress bar). */
  private final io.cortex.progress.ProgressListeners progress = new io.cortex.progress.ProgressListeners();
  private final Map<String, Object> delegates;
  private Transactions transactions;
  private RollbackService rollbacks;
  private RecoveryService recovery;
  private InterruptedOperations interrupted;
  private InterruptedOperationIncidents incidents;

  CortexServices(CortexConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.checkpointer = new Checkpointer(config.checkpoint().maxFileSizeBytes(), clock,
        new EngineCheckpointEvents(observers, clock), locks, EngineTransaction::releaseAtEnd, progress);
    this.delegates = buildDelegates();
  }

  /** Once the engine's configuration is initialised: the services that run in its transactions. */
  void engineConfigured(ProcessEngineConfigurationImpl configuration) {
    // Rollbacks and recoveries commit their own steps (PRE_ROLLBACK before git is touched), also
    // when they run inside a job's transaction: hence a new transaction per step.
    this.transactions = new NewTransactions(configuration);
    this.rollbacks = new RollbackService(transactions, checkpointer, clock,
        result -> observers.notifyAll(o -> o.rollbackCompleted(result)), locks);
    this.incidents = new InterruptedOperationIncidents(transactions);
    this.interrupted = new InterruptedOperations(transactions, clock, Map.of(
        IntentOperation.ROLLBACK, rollbacks::finishInterrupted,
        IntentOperation.UNDO, rollbacks::finishInterrupted,
        IntentOperation.RETENTION, RetentionService::finishInterrupted), incidents::raise);
    locks.afterAcquire(interrupted::resume);
    this.recovery = new RecoveryService(transactions, rollbacks, checkpointer, config.gates(),
        config.recovery().progressiveOrder(), new GateRunner(), clock,
        attempt -> observers.notifyAll(o -> o.recoveryAttempted(attempt)), locks);
  }

  /** Once the engine is built: Cortex's tables, the locks' database, and what a process that died left half-done. */
  void engineBuilt(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    javax.sql.DataSource plain = LockDataSource.of(configuration.getDataSource());
    CortexSchema.migrate(plain); // Flyway commits its own transaction: never the engine's
    locks.useDatabase(plain);
    if (configuration.getJdbcUrl() == null || !configuration.getJdbcUrl().startsWith("jdbc:h2:")) {
      // engine nodes on other hosts tell from this process's lease that its operations still run
      io.cortex.lock.OwnerLiveness.heartbeat(plain);
    }
    incidents.engineStarted(engine);
    // operations a process that died half-way left pending; a repository some live process holds is left to it
    interrupted.resumeAll(locks.withTimeout(RESUME_AT_START_TIMEOUT));
  }

  /**
   * The beans the BPMN names in expressions ({@code ${cortexGate}}, {@code ${cortexRollbackRequested}}, …), by name;
   * the same instances every call. A plain engine gets them through its configuration's beans; in Spring the
   * engine resolves expressions from the application context instead, where the starter registers them under the
   * same names.
   */
  public Map<String, Object> delegates() {
    return delegates;
  }

  private Map<String, Object> buildDelegates() {
    Map<String, Object> beans = new LinkedHashMap<>();
    beans.put("cortexGate", new GateDelegate(config.gates(), new GateRunner()));
    beans.put("cortexChooseStrategy", RecoveryDelegates.chooseStrategy(config.recovery()));
    JavaDelegate attempt = RecoveryDelegates.attempt(this::recovery);
    beans.put("cortexImmediate", attempt);
    beans.put("cortexProgressive", attempt);
    beans.put("cortexDecompose", attempt);
    beans.put("cortexRecoveryPoint", RecoveryDelegates.recoveryPoint(this::recovery));
    beans.put("cortexOperatorRollback", RecoveryDelegates.operatorRollback(this::recovery));
    beans.put(RollbackRequestedDelegate.BEAN_NAME, new RollbackRequestedDelegate(this));
    beans.put("cortexRetentionSchedule", config.retention().schedule());
    beans.put("cortexAutoCheckpointSchedule", "R/" + Duration.ofMillis(
        Math.max(config.checkpoint().autoCheckpoint().intervalMs(), config.checkpoint().minIntervalMs())));
    beans.put("cortexAutoCheckpoint", (JavaDelegate) execution -> takeAutoCheckpoints(execution.getProcessEngine()));
    beans.put("cortexRetention", (JavaDelegate) execution -> runRetention(execution.getProcessEngine()));
    return Collections.unmodifiableMap(beans);
  }

  /**
   * Applies retention now: {@code checkpoint.maxCheckpoints}, {@code checkpoint.retentionMs} and
   * {@code retention.maxTotalBytes}. Run by the {@code cortex-retention} timer process.
   */
  public RetentionReport runRetention(ProcessEngine engine) {
    return runRetention(engine, false);
  }

  /** Retention now, or only what it would delete ({@code dryRun}: nothing is deleted, audited or locked). */
  public RetentionReport runRetention(ProcessEngine engine, boolean dryRun) {
    RetentionPolicy policy = new RetentionPolicy(config.checkpoint().maxCheckpoints(), config.checkpoint().retentionMs(),
        config.retention().maxTotalBytes());
    return new RetentionService(locks).run(transactions,
        processInstanceId -> engine.getRuntimeService().createProcessInstanceQuery()
            .processInstanceId(processInstanceId).count() > 0,
        clock, policy, dryRun);
  }

  /** AUTO_PERIODIC checkpoints of running sessions whose phase has run long (the cortex-auto-checkpoint process). */
  public List<io.cortex.checkpoint.Checkpoint> takeAutoCheckpoints(ProcessEngine engine) {
    if (!config.checkpoint().autoCheckpoint().enabled()) {
      return List.of();
    }
    return new io.cortex.checkpoint.AutoCheckpoints(checkpointer, transactions, clock,
        config.checkpoint().autoCheckpoint().intervalMs(), config.checkpoint().minIntervalMs(), locks)
        .run(RunningPhases.of(engine, transactions));
  }

  public CortexConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public Checkpointer checkpointer() {
    return checkpointer;
  }

  public RollbackService rollbacks() {
    return rollbacks;
  }

  public RecoveryService recovery() {
    return recovery;
  }

  /** The repository locks of this engine (in this JVM, and in its database once the engine is built). */
  public io.cortex.progress.ProgressListeners progress() {
    return progress;
  }

  public RepositoryLocks locks() {
    return locks;
  }

  public Observers observers() {
    return observers;
  }

  /** Runs work in a transaction of its own on the engine's database. */
  public Transactions transactions() {
    return transactions;
  }
}
