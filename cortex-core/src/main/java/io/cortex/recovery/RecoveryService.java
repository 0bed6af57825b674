package io.cortex.recovery;

import io.cortex.base.CortexException;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.checkpoint.Session;
import io.cortex.checkpoint.SessionNotFoundException;
import io.cortex.config.GateConfig;
import io.cortex.config.GatesConfig;
import io.cortex.config.ProgressiveOrder;
import io.cortex.config.RecoveryStrategy;
import io.cortex.db.Transactions;
import io.cortex.gate.GateRunner;
import io.cortex.git.DiffResult;
import io.cortex.git.GitWorkspace;
import io.cortex.git.TreeDiff;
import io.cortex.lock.RepositoryLocks;
import io.cortex.rollback.RollbackRefusedException;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.RollbackService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The three recovery strategies of the seed protocol, on a session's repository.
 *
 * <ul>
 *   <li><b>IMMEDIATE</b> — roll back to the session's last good checkpoint.</li>
 *   <li><b>PROGRESSIVE</b> — roll back to checkpoints one by one (newest first, oldest first or
 *   by bisection), running the failed phase's gate on each; stop at the newest that passes.</li>
 *   <li><b>DECOMPOSE</b> — split the failed change (from the last good checkpoint) into per-file
 *   steps, roll back, re-apply the steps one by one with the gate after each; keep the steps
 *   that pass, report the ones that break it.</li>
 * </ul>
 *
 * Every strategy starts with an ordinary rollback, so the failed state is kept in a
 * PRE_ROLLBACK checkpoint; the states tried in between are checkpoints already. Each attempt is
 * audited ({@code RECOVERY_ATTEMPTED}) and reported to observers.
 *
 * <p>A whole attempt — rollbacks, gate runs and re-applied steps — holds the repository's lock
 * ({@link RepositoryLocks}), so no checkpoint, rollback or retention of another thread, process or node sees
 * one of the states it tries.
 */
public final class RecoveryService {

  static final String ACTOR = "recovery";

  private final Transactions transactions;
  private final RollbackService rollbacks;
  private final Checkpointer checkpointer;
  private final GatesConfig gates;
  private final ProgressiveOrder progressiveOrder;
  private final GateRunner gateRunner;
  private final Clock clock;
  private final Consumer<RecoveryAttempt> onAttempt;
  private final RepositoryLocks locks;

  public RecoveryService(Transactions transactions, RollbackService rollbacks, Checkpointer checkpointer,
                         GatesConfig gates, ProgressiveOrder progressiveOrder, GateRunner gateRunner, Clock clock,
                         Consumer<RecoveryAttempt> onAttempt) {
    this(transactions, rollbacks, checkpointer, gates, progressiveOrder, gateRunner, clock, onAttempt,
        new RepositoryLocks());
  }

  public RecoveryService(Transactions transactions, RollbackService rollbacks, Checkpointer checkpointer,
                         GatesConfig gates, ProgressiveOrder progressiveOrder, GateRunner gateRunner, Clock clock,
                         Consumer<RecoveryAttempt> onAttempt, RepositoryLocks locks) {
    this.locks = locks;
    this.transactions = transactions;
    this.rollbacks = rollbacks;
    this.checkpointer = checkpointer;
    this.gates = gates;
    this.progressiveOrder = progressiveOrder;
    this.gateRunner = gateRunner;
    this.clock = clock;
    this.onAttempt = onAttempt;
  }

  /** Runs one attempt with the request's strategy; never throws for a failed recovery, only for a broken setup. */
  public RecoveryAttempt attempt(RecoveryRequest request) {
    Session session = session(request.sessionId());
    RecoveryAttempt attempt = locks.withLock(session.repository(), "recovery " + request.strategy(), () -> {
      List<Checkpoint> candidates = goodCheckpoints(session.sessionId());
      try {
        return switch (request.strategy()) {
          case IMMEDIATE -> immediate(request, session, candidates);
          case PROGRESSIVE -> progressive(request, session, candidates);
          case DECOMPOSE -> decompose(request, session, candidates);
        };
      } catch (RollbackRefusedException e) {
        return failed(request, 0, "the rollback was refused: " + e.report().warning());
      }
    });
    record(attempt, request);
    return attempt;
  }

  /** The operator's choice: roll back to a named checkpoint ({@code force} as decided). */
  public RecoveryAttempt rollbackTo(RecoveryRequest request, String checkpointId, boolean force) {
    Session session = session(request.sessionId());
    RecoveryAttempt attempt = locks.withLock(session.repository(), "recovery " + request.strategy(), () -> {
      Checkpoint target = transactions.run(c -> new Catalogue(c).checkpoint(session.sessionId(), checkpointId))
          .orElseThrow(() -> new CortexException("Checkpoint '" + checkpointId + "' chosen by the operator does not exist"
              + " in session " + session.sessionId()));
      try {
        rollbacks.rollback(session, target, force, ACTOR);
        return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
            request.attempt(), true, target.checkpointId(), 0, Map.of("operatorTarget", checkpointId, "force", force));
      } catch (RollbackRefusedException e) {
        return failed(request, 0, "the rollback was refused: " + e.report().warning());
      }
    });
    record(attempt, request);
    return attempt;
  }

  /** Takes the RECOVERY_POINT checkpoint after a successful recovery. */
  public Checkpoint recordRecoveryPoint(RecoveryRequest request, String target) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("strategy", request.strategy().name());
    metrics.put("attempt", request.attempt());
    metrics.put("error_code", request.errorCode());
    metrics.put("failed_phase", request.phase());
    if (target != null) {
      metrics.put("restored", target);
    }
    Session session = session(request.sessionId());
    return transactions.run(c -> checkpointer.take(new Catalogue(c), new CheckpointRequest(request.sessionId(),
        CheckpointType.RECOVERY_POINT, null, request.phase(), session.processInstanceId(), null, metrics, ACTOR)));
  }

  // --- strategies ---

  private RecoveryAttempt immediate(RecoveryRequest request, Session session, List<Checkpoint> candidates) {
    if (candidates.isEmpty()) {
      return failed(request, 0, "the session has no checkpoint to return to");
    }
    Checkpoint good = candidates.get(candidates.size() - 1);
    rollbacks.rollback(session, good, true, ACTOR);
    return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
        request.attempt(), true, good.checkpointId(), 0, Map.of("restored", good.checkpointId()));
  }

  private RecoveryAttempt progressive(RecoveryRequest request, Session session, List<Checkpoint> candidates) {
    GateConfig gate = gates.gateFor(request.processKey(), request.phase()).orElse(null);
    if (!GateProbe.usable(gate)) {
      return failed(request, 0, "PROGRESSIVE needs a gate expecting PASS for phase " + request.phase()
          + " of " + request.processKey() + " (gates.workflows in the configuration)");
    }
    if (candidates.isEmpty()) {
      return failed(request, 0, "the session has no checkpoint to try");
    }
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      Prober prober = new Prober(session, git, new GateProbe(gateRunner, gate, gates.outputLimitBytes(), git.workTree()));
      int n = candidates.size();
      Integer chosen = null;
      switch (progressiveOrder) {
        case NEWEST_FIRST -> {
          for (int i = n - 1; i >= 0 && chosen == null; i--) {
            chosen = prober.passes(candidates.get(i)) ? i : null;
          }
        }
        case OLDEST_FIRST -> {
          for (int i = 0; i < n; i++) {
            if (prober.passes(candidates.get(i))) {
              chosen = i;
            } else if (chosen != null) {
              break; // passing up to here, failing from here: the newest passing one is found
            }
          }
        }
        case BISECT -> {
          // assumes older checkpoints pass and newer ones fail, as when a change broke the build
          if (prober.passes(candidates.get(n - 1))) {
            chosen = n - 1;
          } else {
            int lo = 0;
            int hi = n - 2;
            while (lo <= hi) {
              int mid = (lo + hi) >>> 1;
              if (prober.passes(candidates.get(mid))) {
                chosen = mid;
                lo = mid + 1;
              } else {
                hi = mid - 1;
              }
            }
          }
        }
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("order", progressiveOrder.name());
      details.put("tried", prober.tried);
      details.put("preRollback", prober.preRollback == null ? null : prober.preRollback.checkpointId());
      if (chosen == null) {
        prober.restore(prober.preRollback); // back to the failed state: the operator decides from there
        details.put("reason", "no checkpoint passes the gate");
        return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
            request.attempt(), false, null, prober.probe.runs(), details);
      }
      Checkpoint target = candidates.get(chosen);
      prober.restore(target);
      details.put("restored", target.checkpointId());
      return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
          request.attempt(), true, target.checkpointId(), prober.probe.runs(), details);
    }
  }

  private RecoveryAttempt decompose(RecoveryRequest request, Session session, List<Checkpoint> candidates) {
    GateConfig gate = gates.gateFor(request.processKey(), request.phase()).orElse(null);
    if (!GateProbe.usable(gate)) {
      return failed(request, 0, "DECOMPOSE needs a gate expecting PASS for phase " + request.phase()
          + " of " + request.processKey() + " (gates.workflows in the configuration)");
    }
    if (candidates.isEmpty()) {
      return failed(request, 0, "the session has no checkpoint to decompose from");
    }
    Checkpoint good = candidates.get(candidates.size() - 1);
    RollbackResult rollback = rollbacks.rollback(session, good, true, ACTOR);
    Checkpoint failedState = rollback.preRollback();
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      GateProbe probe = new GateProbe(gateRunner, gate, gates.outputLimitBytes(), git.workTree());
      long cap = checkpointer.maxFileSizeBytes();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("base", good.checkpointId());
      details.put("failedState", failedState.checkpointId());
      if (!probe.passes()) {
        git.restoreSnapshot(failedState.snapshotCommit(), failedState.baseCommit(), cap);
        details.put("reason", "the last good checkpoint " + good.checkpointId() + " fails the gate too");
        return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
            request.attempt(), false, null, probe.runs(), details);
      }
      DiffResult change = TreeDiff.between(git, good.snapshotCommit(), failedState.snapshotCommit());
      List<String> kept = new ArrayList<>();
      List<String> breaking = new ArrayList<>();
      for (DiffResult.FileChange step : change.changes()) {
        List<String> path = List.of(step.path());
        git.restorePaths(failedState.snapshotCommit(), path, cap);
        if (probe.passes()) {
          kept.add(step.path());
        } else {
          git.restorePaths(good.snapshotCommit(), path, cap);
          breaking.add(step.path());
        }
      }
      details.put("kept", kept);
      details.put("breaking", breaking);
      return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
          request.attempt(), true, good.checkpointId(), probe.runs(), details);
    }
  }

  /** Brings the repository to candidates one after another; the first move is a real rollback (PRE_ROLLBACK). */
  private final class Prober {
    private final Session session;
    private final GitWorkspace git;
    private final GateProbe probe;
    private final List<String> tried = new ArrayList<>();
    private Checkpoint preRollback;
    private Checkpoint current;

    Prober(Session session, GitWorkspace git, GateProbe probe) {
      this.session = session;
      this.git = git;
      this.probe = probe;
    }

    boolean passes(Checkpoint candidate) {
      restore(candidate);
      boolean passes = probe.passes();
      tried.add(candidate.checkpointId() + (passes ? ":pass" : ":fail"));
      return passes;
    }

    void restore(Checkpoint target) {
      if (target == null || target == current) {
        return;
      }
      if (preRollback == null) {
        preRollback = rollbacks.rollback(session, target, true, ACTOR).preRollback();
      } else {
        git.restoreSnapshot(target.snapshotCommit(), target.baseCommit(), checkpointer.maxFileSizeBytes());
      }
      current = target;
    }
  }

  // --- plumbing ---

  /** Checkpoints a recovery may return to: everything but PRE_ROLLBACKs and states whose gate failed. */
  private List<Checkpoint> goodCheckpoints(String sessionId) {
    return transactions.run(c -> new Catalogue(c).checkpoints(sessionId)).stream()
        .filter(c -> c.type() != CheckpointType.PRE_ROLLBACK)
        .filter(c -> !Boolean.FALSE.equals(c.metrics().get("gate_passed")))
        .toList();
  }

  private Session session(String sessionId) {
    return transactions.run(c -> new Catalogue(c).session(sessionId))
        .orElseThrow(() -> new SessionNotFoundException(sessionId));
  }

  private static final int MAX_ERROR_MESSAGE = 2000;

  private static RecoveryAttempt failed(RecoveryRequest request, int gateRuns, String reason) {
    return new RecoveryAttempt(request.sessionId(), request.phase(), request.errorCode(), request.strategy(),
        request.attempt(), false, null, gateRuns, Map.of("reason", reason));
  }

  private void record(RecoveryAttempt attempt, RecoveryRequest request) {
    Map<String, Object> details = new LinkedHashMap<>(attempt.details());
    if (request.errorMessage() != null && !request.errorMessage().isBlank()) {
      // what failed, in the audit log: the CLI tells the user from it (a gate's command, exit code, last output lines)
      String message = request.errorMessage();
      details.put("errorMessage", message.length() > MAX_ERROR_MESSAGE
          ? "…" + message.substring(message.length() - MAX_ERROR_MESSAGE) : message);
    }
    details.put("strategy", attempt.strategy().name());
    details.put("attempt", attempt.attempt());
    details.put("phase", attempt.phase());
    details.put("errorCode", attempt.errorCode());
    details.put("gateRuns", attempt.gateRuns());
    boolean partial = attempt.recovered() && details.get("breaking") instanceof List<?> l && !l.isEmpty();
    AuditOutcome outcome = !attempt.recovered() ? AuditOutcome.FAILURE : partial ? AuditOutcome.PARTIAL : AuditOutcome.SUCCESS;
    transactions.run(c -> new AuditLog(c).append(AuditAction.RECOVERY_ATTEMPTED, clock.instant(), attempt.sessionId(),
        ACTOR, details, outcome));
    onAttempt.accept(attempt);
  }

}
