package io.cortex;

import io.cortex.audit.AuditEntry;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.CatalogueRebuild;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.Ids;
import io.cortex.base.Json;
import io.cortex.checkpoint.SeedFile;
import io.cortex.checkpoint.SeedTransfer;
import io.cortex.checkpoint.Session;
import io.cortex.config.CortexConfig;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.engine.CortexServices;
import io.cortex.engine.CortexVariables;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.engine.EngineTransaction;
import io.cortex.engine.JobRunner;
import io.cortex.engine.PhaseLookup;
import io.cortex.engine.ResumePoint;
import io.cortex.git.CommitHistory.CommitInfo;
import io.cortex.git.DiffResult;
import io.cortex.git.GitWorkspace;
import io.cortex.git.TreeDiff;
import io.cortex.observer.CortexObserver;
import io.cortex.query.CatalogueReads;
import io.cortex.retention.RetentionReport;
import io.cortex.rollback.RollbackOutcome;
import io.cortex.rollback.RollbackPreview;
import io.cortex.rollback.RollbackRefusedException;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.RollbackService;
import io.cortex.rollback.SafetyReport;
import io.cortex.rollback.command.Flags;
import io.cortex.rollback.command.InvalidRollbackCommandException;
import io.cortex.rollback.command.ParsedCommand;
import io.cortex.rollback.command.Resolution;
import io.cortex.rollback.command.RollbackCommandParser;
import io.cortex.rollback.command.TargetResolver;
import io.cortex.session.SessionDeletion;
import io.cortex.session.Sessions;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;

/**
 * The Java API of Cortex: start a workflow for a session on a repository, complete phases,
 * and work with the session's checkpoints.
 *
 * <pre>{@code
 * try (Cortex cortex = Cortex.start(ConfigLoader.load(Path.of("config/cortex.yaml")), Path.of("data"))) {
 *   cortex.startSession(Workflow.PLANNING, "feature-auth-001", Path.of("/work/my-project"));
 *   cortex.completePhase("feature-auth-001", "DoR", Map.of("requirements_validated", true));
 *   for (Checkpoint c : cortex.checkpoints("feature-auth-001")) {
 *     System.out.println(c.checkpointId() + " " + c.shortSnapshot());   // session-start, dor-1
 *   }
 * }
 * }</pre>
 *
 * <p>In an engine a service already runs, register {@link CortexProcessEnginePlugin} and use
 * {@link #on(ProcessEngine)}.
 */
public final class Cortex implements AutoCloseable {

  private final ProcessEngine engine;
  private final CortexServices plugin;
  private final boolean ownsEngine;
  private final String actor;
  private final RollbackService rollbacks;
  private final CatalogueReads reads;
  private final io.cortex.db.Transactions transactions;

  private Cortex(ProcessEngine engine, boolean ownsEngine, String actor) {
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.actor = actor;
    this.plugin = CortexProcessEnginePlugin.of(configuration(engine)).orElseThrow(() -> new CortexException("Engine '" + engine.getName()
            + "' has no CortexProcessEnginePlugin; add it to the engine configuration's process engine plugins."))
        .services();
    this.rollbacks = plugin.rollbacks();
    this.transactions = new io.cortex.db.Transactions() {
      @Override
      public <T> T run(Function<java.sql.Connection, T> work) {
        return inConnection(work);
      }
    };
    this.reads = new CatalogueReads(transactions);
  }

  /** The read-only part of the API (sessions, checkpoints, audit, history), on this engine's database. */
  public CatalogueReads reads() {
    return reads;
  }

  /** Runs work in a transaction of the engine's database, on its connection (for plain JDBC of Cortex's own tables). */
  public io.cortex.db.Transactions transactions() {
    return this::inConnection;
  }

  /** The same Cortex, recording {@code actor} as who acts in the audit log (e.g. {@code cli:alice}). */
  public Cortex withActor(String actor) {
    return new Cortex(engine, false, actor);
  }

  /** Cortex on an engine that has the {@link CortexProcessEnginePlugin}; closing it leaves the engine running. */
  public static Cortex on(ProcessEngine engine) {
    return new Cortex(engine, false, defaultActor());
  }

  /**
   * Starts the embedded engine with the built-in defaults ({@link CortexConfig#defaults()}): H2 file database in
   * {@code dataDir} (the application adds {@code com.h2database:h2}), no gates, IMMEDIATE recovery.
   */
  public static Cortex start(Path dataDir) {
    return start(CortexConfig.defaults(), dataDir);
  }

  /** Starts the embedded engine (H2 file database in {@code dataDir} unless configured otherwise). */
  public static Cortex start(CortexConfig config, Path dataDir) {
    return new Cortex(EmbeddedEngine.start(config, dataDir), true, defaultActor());
  }

  public ProcessEngine engine() {
    return engine;
  }

  public CortexConfig config() {
    return plugin.config();
  }

  // --- sessions and phases ---

  public SessionStatus startSession(Workflow workflow, String sessionId, Path repository) {
    return startSession(workflow.processKey(), sessionId, repository, Map.of());
  }

  /**
   * Starts a process with phases (one of ours or a designer's own) for a session. The session
   * id becomes the business key and the repository the variable {@code repositoryPath}.
   */
  public SessionStatus startSession(String processKey, String sessionId, Path repository, Map<String, Object> variables) {
    Ids.requireValidSessionId(sessionId);
    Path repo = repository.toAbsolutePath().normalize();
    GitWorkspace.open(repo).close();
    Map<String, Object> vars = new LinkedHashMap<>(variables);
    vars.put(CortexVariables.REPOSITORY_PATH, repo.toString());
    unwrapping(() -> engine.getRuntimeService().startProcessInstanceByKey(processKey, sessionId, vars));
    driveJobs();
    return status(sessionId);
  }

  public void completePhase(String sessionId, String phase, Map<String, Object> metrics) {
    completePhase(sessionId, phase, metrics, Map.of());
  }

  /**
   * Completes the waiting task of an active phase; the phase's end then takes its checkpoint
   * with {@code metrics}. {@code variables} are passed to the process (e.g. {@code anotherCycle}).
   */
  public void completePhase(String sessionId, String phase, Map<String, Object> metrics, Map<String, Object> variables) {
    Task task = phaseTask(sessionId, phase);
    Map<String, Object> vars = new LinkedHashMap<>(variables);
    vars.put(CortexVariables.METRICS, Json.write(metrics));
    unwrapping(() -> {
      engine.getTaskService().complete(task.getId(), vars);
      return null;
    });
    driveJobs();
  }

  /**
   * Reports that the active phase failed: its task throws the BPMN error {@code errorCode}
   * (e.g. {@code PHASE_FAILED}), which the phase's error boundary routes into recovery.
   */
  public void failPhase(String sessionId, String phase, String errorCode, String message) {
    if (errorCode == null || !errorCode.matches("[A-Z][A-Z0-9_]*")) {
      throw new CortexException("Invalid error code '" + errorCode + "': use upper-case letters, digits and _, e.g."
          + " PHASE_FAILED (see docs/recovery.md for the failure types)");
    }
    Task task = phaseTask(sessionId, phase);
    unwrapping(() -> {
      engine.getTaskService().handleBpmnError(task.getId(), errorCode, message == null ? "" : message);
      return null;
    });
    driveJobs();
  }

  /** Executes due jobs (gates, recovery steps, backoff timers) when the engine has no job executor. */
  public void driveJobs() {
    if (!hasRunningJobExecutor()) {
      long longestBackoff = config().recovery().retry().delaysMs().stream().mapToLong(Long::longValue).max().orElse(0);
      new JobRunner(engine).runUntilIdle(java.time.Duration.ofMillis(longestBackoff + 1000));
    }
  }

  /**
   * Without a running job executor (the CLI's engine, tests) async gates and recovery steps
   * would never run; the API then runs the jobs its own calls create. Spring Boot starts its
   * executor itself, so the flag alone does not tell.
   */
  private boolean hasRunningJobExecutor() {
    ProcessEngineConfigurationImpl configuration = configuration(engine);
    return configuration.isJobExecutorActivate()
        || (configuration.getJobExecutor() != null && configuration.getJobExecutor().isActive());
  }

  /** The one open task of an active phase. */
  private Task phaseTask(String sessionId, String phase) {
    ProcessInstance instance = runningInstance(sessionId);
    List<PhaseLookup.ActivePhase> active = new PhaseLookup(engine).activePhases(instance.getId());
    PhaseLookup.ActivePhase target = active.stream().filter(p -> p.phase().equalsIgnoreCase(phase)).findFirst()
        .orElseThrow(() -> new CortexException("Phase '" + phase + "' is not active in session " + sessionId
            + (active.isEmpty() ? "; no phase is active." : "; active: "
            + String.join(", ", active.stream().map(PhaseLookup.ActivePhase::phase).toList()))));
    List<Task> tasks = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId())
        .activityInstanceIdIn(target.subtreeInstanceIds().toArray(String[]::new)).list();
    if (tasks.size() != 1) {
      throw new CortexException("Phase '" + target.phase() + "' of session " + sessionId + " has " + tasks.size()
          + " open tasks; " + (tasks.isEmpty() ? "it is verifying or recovering - see './cortex status'."
          : "complete them in Tasklist instead."));
    }
    return tasks.get(0);
  }

  public SessionStatus status(String sessionId) {
    Session session = session(sessionId);
    ProcessInstance instance = session.processInstanceId() == null ? null
        : engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(session.processInstanceId()).singleResult();
    List<String> phases = instance == null ? List.of()
        : new PhaseLookup(engine).activePhases(instance.getId()).stream().map(PhaseLookup.ActivePhase::phase).toList();
    return new SessionStatus(session, instance != null, phases, checkpoints(sessionId));
  }

  public Session session(String sessionId) {
    return reads.session(sessionId);
  }

  public List<Session> sessions() {
    return reads.sessions();
  }

  /** Where every session stands (running or ended, active phases, checkpoints), by session id. */
  public List<SessionStatus> sessionStatuses() {
    return sessions().stream().map(s -> status(s.sessionId())).toList();
  }

  /**
   * Deletes a session's catalogue rows and checkpoint refs ({@code dryRun}: only says what would go). A running
   * session is refused unless {@code cancelRunning}, which cancels its process instance first.
   */
  public SessionDeletion deleteSession(String sessionId, boolean dryRun, boolean cancelRunning) {
    SessionStatus status = status(sessionId);
    String cancelled = null;
    if (status.running()) {
      if (!cancelRunning) {
        throw new CortexException("Session " + sessionId + " is running (process instance "
            + status.session().processInstanceId() + (status.activePhases().isEmpty() ? "" : ", waiting in "
            + String.join(", ", status.activePhases())) + "); finish it first, or cancel its process instance with the"
            + " deletion (CLI: add --force).");
      }
      cancelled = status.session().processInstanceId();
      if (!dryRun) {
        String instance = cancelled;
        unwrapping(() -> {
          engine.getRuntimeService().deleteProcessInstance(instance, "Cortex session " + sessionId + " deleted by " + actor);
          return null;
        });
      }
    }
    return new Sessions(transactions, plugin.locks(), plugin.clock()).delete(status.session(), dryRun, cancelled, actor);
  }

  /**
   * Gives a session that has ended a new process instance, waiting in {@code phase} (null: the phase after its
   * last phase checkpoint; after TDD's REFACTOR a new RED). The repository is not touched: work goes on from what
   * is on disk, which a {@code resumed-N} checkpoint records. {@code processKey} is needed only for a session
   * that was imported or rebuilt (its workflow is unknown); a CLI name such as {@code tdd} works too.
   */
  public SessionStatus resumeSession(String sessionId, String phase, String processKey) {
    SessionStatus status = status(sessionId);
    Session session = status.session();
    if (status.running()) {
      throw new CortexException("Session " + sessionId + " is running" + (status.activePhases().isEmpty() ? ""
          : ", waiting in " + String.join(", ", status.activePhases())) + "; only a session that has ended can be resumed.");
    }
    String key = processKey != null ? ResumePoint.processKey(processKey) : session.processDefinitionKey();
    if (key == null) {
      throw new CortexException("Session " + sessionId + " was " + (session.processInstanceId() == null ? "imported"
          : "rebuilt from its refs") + ", so its workflow is not known; name it (CLI: --workflow planning|tdd|"
          + "system-alignment or a process key).");
    }
    org.camunda.bpm.engine.repository.ProcessDefinition definition = engine.getRepositoryService()
        .createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult();
    if (definition == null) {
      throw new CortexException("Session " + sessionId + " cannot be resumed: no process '" + key + "' is deployed.");
    }
    ResumePoint start = ResumePoint.of(engine.getRepositoryService().getBpmnModelInstance(
        definition.getId()), key, phase, status.checkpoints());
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(CortexVariables.REPOSITORY_PATH, session.repository().toString());
    vars.put(CortexVariables.RESUME, true);
    unwrapping(() -> engine.getRuntimeService().createProcessInstanceByKey(key).businessKey(sessionId)
        .setVariables(vars).startBeforeActivity(start.activityId()).execute());
    driveJobs();
    return status(sessionId);
  }

  // --- checkpoints ---

  /** Takes a {@code USER_REQUESTED} checkpoint with the given id (or a derived one when null). */
  public Checkpoint createCheckpoint(String sessionId, String checkpointId, Map<String, Object> metrics) {
    Session session = session(sessionId);
    // the repository's lock before the transaction: a checkpoint waiting for its turn holds no connection
    return plugin.locks().withLock(session.repository(), "checkpoint USER_REQUESTED", () -> inTransaction(c ->
        plugin.checkpointer().take(c, new CheckpointRequest(sessionId, io.cortex.checkpoint.CheckpointType.USER_REQUESTED,
            checkpointId, null, session.processInstanceId(), null, metrics, actor))));
  }

  /** The session's checkpoints, oldest first. */
  public List<Checkpoint> checkpoints(String sessionId) {
    return reads.checkpoints(sessionId);
  }

  /** One checkpoint; an unknown id gets the seed's "Invalid checkpoint" error with the ids there are and the closest match. */
  public Checkpoint checkpoint(String sessionId, String checkpointId) {
    return resolve(sessionId, checkpointId);
  }

  // --- rollback ---

  /** The seed's safety check {@code {safe, warning, details}} for rolling back to a checkpoint. */
  public SafetyReport checkSafety(String sessionId, String checkpointId) {
    return rollbacks.check(session(sessionId), resolve(sessionId, checkpointId));
  }

  /** The dry run: files that would change and the diff. Changes nothing. */
  public RollbackPreview preview(String sessionId, String checkpointId) {
    return rollbacks.preview(session(sessionId), resolve(sessionId, checkpointId));
  }

  /**
   * Rolls the session's repository back to a checkpoint: a PRE_ROLLBACK checkpoint first, then
   * the branch reset to the checkpoint's base commit and the working tree made equal to it.
   * Refused with {@link RollbackRefusedException} (nothing changed) when unsafe, unless
   * {@code force} and every refusal is bypassable.
   */
  public RollbackResult rollback(String sessionId, String checkpointId, boolean force) {
    return rollbacks.rollback(session(sessionId), resolve(sessionId, checkpointId), force, actor);
  }

  /**
   * Runs a natural-language command such as {@code "rollback session feature-auth-001 to last green"};
   * {@code options} add flags given outside the text.
   */
  public RollbackOutcome rollback(String command, Flags options) {
    ParsedCommand parsed = new RollbackCommandParser().parse(command).withFlags(options == null ? Flags.none() : options);
    if (!parsed.valid()) {
      throw new InvalidRollbackCommandException(parsed.error());
    }
    Resolution target = resolve(parsed);
    Session session = session(target.sessionId());
    if (parsed.flags().dryRun()) {
      return new RollbackOutcome(parsed, target.sessionId(), target.checkpoint().checkpointId(),
          rollbacks.preview(session, target.checkpoint()), null);
    }
    return new RollbackOutcome(parsed, target.sessionId(), target.checkpoint().checkpointId(), null,
        rollbacks.rollback(session, target.checkpoint(), parsed.flags().force(), actor));
  }

  /**
   * The session and checkpoint a parsed rollback command names ({@code last green}, {@code before REFACTOR}, an exact
   * id, …), among the sessions it may mean (its own, or all when it names none); changes nothing. Every way to roll
   * back by command (this API, REST) resolves through here.
   */
  public Resolution resolve(ParsedCommand parsed) {
    List<Session> candidates = parsed.sessionId() != null ? List.of(session(parsed.sessionId())) : sessions();
    Map<String, List<Checkpoint>> checkpoints = new LinkedHashMap<>();
    Map<String, List<String>> active = new LinkedHashMap<>();
    for (Session s : candidates) {
      checkpoints.put(s.sessionId(), checkpoints(s.sessionId()));
      active.put(s.sessionId(), status(s.sessionId()).activePhases());
    }
    return new TargetResolver().resolve(parsed, checkpoints, active);
  }

  /** Restores the state the last PRE_ROLLBACK checkpoint captured; an undo can itself be undone. */
  public RollbackResult undo(String sessionId, boolean force) {
    return rollbacks.undo(session(sessionId), force, actor);
  }

  /** The difference between two checkpoints of a session (stat and patch). */
  public DiffResult diff(String sessionId, String fromCheckpoint, String toCheckpoint) {
    Checkpoint from = resolve(sessionId, fromCheckpoint);
    Checkpoint to = resolve(sessionId, toCheckpoint);
    try (GitWorkspace git = GitWorkspace.open(session(sessionId).repository())) {
      return TreeDiff.between(git, from.snapshotCommit(), to.snapshotCommit());
    }
  }

  /** The newest {@code maxCount} commits of the session's repository from HEAD (cached while HEAD stays put). */
  public List<CommitInfo> history(String sessionId, int maxCount) {
    return reads.history(sessionId, maxCount);
  }

  /** Applies the retention rules now (the {@code cortex-retention} process does it on its schedule). */
  public RetentionReport applyRetention() {
    return plugin.runRetention(engine);
  }

  /** What {@link #applyRetention()} would delete now; deletes nothing. */
  public RetentionReport previewRetention() {
    return plugin.runRetention(engine, true);
  }

  /** Takes the AUTO_PERIODIC checkpoints that are due now (the {@code cortex-auto-checkpoint} process does it on its schedule). */
  public List<Checkpoint> takeAutoCheckpoints() {
    return plugin.takeAutoCheckpoints(engine);
  }

  // --- audit and observers ---

  /** The newest {@code limit} audit entries (oldest first) of a session, or of all sessions when null. */
  public List<AuditEntry> audit(String sessionId, int limit) {
    return reads.audit(sessionId, limit);
  }

  /** Long steps (scanning a working tree, writing files) report to {@code listener}; see {@link io.cortex.progress.ProgressEvent}. */
  public void addProgressListener(io.cortex.progress.ProgressListener listener) {
    plugin.progress().add(listener);
  }

  public void removeProgressListener(io.cortex.progress.ProgressListener listener) {
    plugin.progress().remove(listener);
  }

  public void addObserver(CortexObserver observer) {
    plugin.observers().add(observer);
  }

  public void removeObserver(CortexObserver observer) {
    plugin.observers().remove(observer);
  }

  // --- export, import, rebuild ---

  /** Writes the seed's JSON file; {@code target} null means {@code <repo>/.cortex/phase-checkpoints-<session>.json}. */
  public Path export(String sessionId, Path target) {
    Session session = session(sessionId);
    Path file = target != null ? target : session.repository().resolve(".cortex").resolve(SeedFile.fileName(sessionId));
    SeedTransfer.write(SeedTransfer.toSeed(session, checkpoints(sessionId)), file);
    return file;
  }

  /** Imports a seed JSON file; {@code repository} is needed only when the session is not known yet. */
  public int importCheckpoints(Path file, Path repository) {
    SeedFile seed = SeedTransfer.read(file);
    Path known = seed.sessionId() == null || !Ids.isValid(seed.sessionId()) ? null
        : inTransaction(c -> c.session(seed.sessionId()).map(Session::repository).orElse(null));
    Path repo = known != null ? known : repository;
    if (repo == null) { // importInto explains what is missing
      return inTransaction(c -> SeedTransfer.importInto(c, seed, null, plugin.clock().instant()));
    }
    // refs are written: under the repository's lock, like every other write
    return plugin.locks().withLock(repo, "import", () ->
        inTransaction(c -> SeedTransfer.importInto(c, seed, repository, plugin.clock().instant())));
  }

  /** Restores the catalogue rows of {@code repository}'s sessions (or one session) from its checkpoint refs. */
  public CatalogueRebuild.Report rebuild(Path repository, String onlySession) {
    if (onlySession != null) {
      Ids.requireValidSessionId(onlySession);
    }
    return inTransaction(c -> CatalogueRebuild.run(c, repository.toAbsolutePath().normalize(), onlySession,
        plugin.clock().instant()));
  }

  // --- plumbing ---

  private ProcessInstance runningInstance(String sessionId) {
    Session session = session(sessionId);
    ProcessInstance instance = session.processInstanceId() == null ? null
        : engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(session.processInstanceId()).singleResult();
    if (instance == null) {
      throw new CortexException("Session " + sessionId + " has no running process instance (it has ended"
          + (session.processInstanceId() == null ? " or was imported" : "") + ").");
    }
    return instance;
  }

  /** An exact checkpoint id of a session, with the seed's "Invalid checkpoint" error and the closest match. */
  private Checkpoint resolve(String sessionId, String checkpointId) {
    return reads.checkpoint(sessionId, checkpointId);
  }

  /** Runs {@code work} on the catalogue inside an engine transaction. */
  private <T> T inTransaction(Function<Catalogue, T> work) {
    return inConnection(c -> work.apply(new Catalogue(c)));
  }

  /** Runs {@code work} on the connection of an engine transaction (the engine's command executor). */
  private <T> T inConnection(Function<java.sql.Connection, T> work) {
    return unwrapping(() -> configuration(engine).getCommandExecutorTxRequired().execute((CommandContext ctx) ->
        work.apply(EngineTransaction.connection(ctx))));
  }

  private static String defaultActor() {
    return System.getProperty("user.name", "unknown");
  }

  /** The engine may wrap our exceptions; callers get the Cortex exception with its message. */
  private static <T> T unwrapping(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (CortexException e) {
      throw e;
    } catch (RuntimeException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof CortexException cortex) {
          throw cortex;
        }
      }
      throw e;
    }
  }

  private static ProcessEngineConfigurationImpl configuration(ProcessEngine engine) {
    return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
  }

  @Override
  public void close() {
    if (ownsEngine) {
      engine.close();
    }
  }
}
