package io.cortex.rollback;

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
import io.cortex.db.Transactions;
import io.cortex.git.DiffResult;
import io.cortex.git.GitWorkspace;
import io.cortex.git.RestoreResult;
import io.cortex.git.TreeDiff;
import io.cortex.intent.Intent;
import io.cortex.intent.IntentLog;
import io.cortex.intent.IntentOperation;
import io.cortex.intent.IntentState;
import io.cortex.lock.RepositoryLocks;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Safety check, preview, rollback and undo of one session's repository.
 *
 * <p>A rollback always takes a {@code PRE_ROLLBACK} checkpoint first (force included), then
 * resets the current branch to the checkpoint's base commit and makes the index and working
 * tree equal its snapshot. Every step is audited; the PRE_ROLLBACK checkpoint and the audit
 * entries are committed before git is touched, so a failure half-way leaves both behind. With them commits an
 * {@link Intent}, completed after the restore: if the process dies in between, whoever takes the repository's lock
 * next finishes the restore ({@link #finishInterrupted}, {@link io.cortex.intent.InterruptedOperations}).
 *
 * <p>A rollback or undo holds the repository's lock ({@link RepositoryLocks}) from the safety check to the
 * last audit entry: two of them never interleave, and no checkpoint is taken half-way through one.
 */
public final class RollbackService {

  private final Transactions transactions;
  private final Checkpointer checkpointer;
  private final Clock clock;
  private final Consumer<RollbackResult> onCompleted;
  private final RepositoryLocks locks;

  public RollbackService(Transactions transactions, Checkpointer checkpointer, Clock clock,
                         Consumer<RollbackResult> onCompleted) {
    this(transactions, checkpointer, clock, onCompleted, new RepositoryLocks());
  }

  public RollbackService(Transactions transactions, Checkpointer checkpointer, Clock clock,
                         Consumer<RollbackResult> onCompleted, RepositoryLocks locks) {
    this.transactions = transactions;
    this.checkpointer = checkpointer;
    this.clock = clock;
    this.onCompleted = onCompleted;
    this.locks = locks;
  }

  public SafetyReport check(Session session, Checkpoint target) {
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      return SafetyCheck.check(git, target, false, checkpoints(session), checkpointer.maxFileSizeBytes());
    }
  }

  /** The dry run: what the rollback would change. Writes nothing anywhere. */
  public RollbackPreview preview(Session session, Checkpoint target) {
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      SafetyReport safety = SafetyCheck.check(git, target, false, checkpoints(session), checkpointer.maxFileSizeBytes());
      DiffResult diff = TreeDiff.workingTreeAgainst(git, target.snapshotCommit());
      List<String> untracked = diff.untrackedToRemove();
      return new RollbackPreview(session.sessionId(), target, safety,
          paths(diff, DiffResult.ChangeKind.MODIFIED), paths(diff, DiffResult.ChangeKind.ADDED),
          paths(diff, DiffResult.ChangeKind.DELETED).stream().filter(p -> !untracked.contains(p)).toList(),
          untracked, diff.stat(), diff.patch());
    }
  }

  private List<Checkpoint> checkpoints(Session session) {
    return transactions.run(c -> new Catalogue(c).checkpoints(session.sessionId()));
  }

  public RollbackResult rollback(Session session, Checkpoint target, boolean force, String actor) {
    return restore(session, target, force, false, actor);
  }

  /** Returns the repository to the state the last PRE_ROLLBACK checkpoint captured; itself undoable. */
  public RollbackResult undo(Session session, boolean force, String actor) {
    // the last PRE_ROLLBACK is looked up under the lock: a rollback finishing meanwhile has the newer one
    return locks.withLock(session.repository(), "undo", () -> {
      List<Checkpoint> checkpoints = transactions.run(c -> new Catalogue(c).checkpoints(session.sessionId()));
      Checkpoint last = checkpoints.stream().filter(c -> c.type() == CheckpointType.PRE_ROLLBACK)
          .reduce((a, b) -> b).orElseThrow(() -> new CortexException("Nothing to undo in session " + session.sessionId()
              + ": it has no PRE_ROLLBACK checkpoint (no rollback has run yet)."));
      return restore(session, last, force, true, actor);
    });
  }

  private RollbackResult restore(Session session, Checkpoint target, boolean force, boolean undo, String actor) {
    return locks.withLock(session.repository(), undo ? "undo" : "rollback",
        () -> restoreLocked(session, target, force, undo, actor));
  }

  private RollbackResult restoreLocked(Session session, Checkpoint target, boolean force, boolean undo, String actor) {
    String sessionId = session.sessionId();
    AuditAction initiated = undo ? AuditAction.UNDO_INITIATED : AuditAction.ROLLBACK_INITIATED;
    AuditAction completed = undo ? AuditAction.UNDO_COMPLETED : AuditAction.ROLLBACK_COMPLETED;
    AuditAction failed = undo ? AuditAction.UNDO_FAILED : AuditAction.ROLLBACK_FAILED;
    try (GitWorkspace git = GitWorkspace.open(session.repository()).reportingTo(checkpointer.progress())) {
      // a git lock file in the way: refuse before anything is written (no audit entry, no PRE_ROLLBACK)
      git.requireNoGitLocks((undo ? "undo the last rollback" : "roll back to " + target.checkpointId())
          + " in session " + sessionId);
      SafetyReport safety = SafetyCheck.check(git, target, undo, checkpoints(session), checkpointer.maxFileSizeBytes());
      if (!safety.safe() && !(force && safety.allowsForce())) {
        audit(AuditAction.SAFETY_REFUSED, sessionId, actor, details(target, force, Map.of("refusals",
            safety.refusals().stream().map(r -> r.kind().name()).toList(), "warning", safety.warning())), AuditOutcome.FAILURE);
        throw new RollbackRefusedException(safety, force);
      }
      // the PRE_ROLLBACK checkpoint, the audit entry and the intent commit together, before git is touched
      Intent[] intent = new Intent[1];
      Checkpoint preRollback = transactions.run(c -> {
        new AuditLog(c).append(initiated, clock.instant(), sessionId, actor, details(target, force,
            safety.safe() ? Map.of() : Map.of("forcedPast", safety.warning())), AuditOutcome.SUCCESS);
        Checkpoint pre = checkpointer.take(new Catalogue(c), new CheckpointRequest(sessionId, CheckpointType.PRE_ROLLBACK,
            null, null, session.processInstanceId(), null, Map.of("rollbackTarget", target.checkpointId()), actor));
        intent[0] = new IntentLog(c).begin(undo ? IntentOperation.UNDO : IntentOperation.ROLLBACK,
            RepositoryLocks.key(session.repository()), sessionId, clock.instant(), intentDetails(target, pre));
        return pre;
      });
      RestoreResult restored;
      try {
        // compare-and-set on the branch against the HEAD the PRE_ROLLBACK checkpoint saw
        restored = git.restoreSnapshot(target.snapshotCommit(), target.baseCommit(), checkpointer.maxFileSizeBytes(),
            preRollback.baseCommit());
      } catch (RuntimeException e) {
        finish(intent[0], IntentState.FAILED, failed, sessionId, actor, details(target, force, Map.of("preRollback",
            preRollback.checkpointId(), "error", String.valueOf(e.getMessage()))), AuditOutcome.FAILURE);
        throw new RollbackFailedException(sessionId, target.checkpointId(), preRollback.checkpointId(), e);
      }
      RollbackResult result = new RollbackResult(sessionId, target, preRollback, undo, restored.written(),
          restored.deleted(), restored.leftAlone());
      finish(intent[0], IntentState.COMPLETED, completed, sessionId, actor, details(target, force, Map.of("preRollback",
          preRollback.checkpointId(), "filesWritten", restored.written().size(), "filesDeleted",
          restored.deleted().size(), "leftAlone", restored.leftAlone())), AuditOutcome.SUCCESS);
      onCompleted.accept(result);
      return result;
    }
  }

  /**
   * Finishes the rollback or undo an {@link Intent} records, whose process died half-way (see
   * {@link io.cortex.intent.InterruptedOperations}): restores the target again — idempotent — moving the branch
   * from wherever the interrupted restore left it (before or after its move; anything else is a commit made
   * meanwhile, and the compare-and-set refuses). Only when every file is as the PRE_ROLLBACK checkpoint or the
   * target has it: a file changed by someone since the interruption stops it, with nothing touched.
   */
  public Map<String, Object> finishInterrupted(Intent intent, GitWorkspace git) {
    String preRollbackSnapshot = intent.detail("preRollbackSnapshot");
    List<String> changedSince = preRollbackSnapshot == null ? List.of() : git.pathsInNeither(
        intent.detail("snapshotCommit"), preRollbackSnapshot, checkpointer.maxFileSizeBytes(), 5);
    if (!changedSince.isEmpty()) {
      // finishing would overwrite work done since the interruption, which no checkpoint holds
      throw new CortexException("The working tree was changed since the " + intent.operation().name().toLowerCase(
          java.util.Locale.ROOT) + " was interrupted (" + String.join(", ", changedSince) + (changedSince.size() == 5
          ? ", ..." : "") + "), so it was not finished and nothing was touched");
    }
    String base = intent.detail("baseCommit");
    String head = git.head().orElse(null);
    String from = java.util.Objects.equals(head, base) ? base : intent.detail("expectedHead");
    RestoreResult restored = git.restoreSnapshot(intent.detail("snapshotCommit"), base,
        checkpointer.maxFileSizeBytes(), from);
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("checkpointId", intent.detail("checkpointId"));
    done.put("preRollback", intent.detail("preRollback"));
    done.put("filesWritten", restored.written().size());
    done.put("filesDeleted", restored.deleted().size());
    return done;
  }

  private static Map<String, Object> intentDetails(Checkpoint target, Checkpoint preRollback) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", target.checkpointId());
    details.put("snapshotCommit", target.snapshotCommit());
    details.put("baseCommit", target.baseCommit());
    details.put("expectedHead", preRollback.baseCommit());
    details.put("preRollback", preRollback.checkpointId());
    details.put("preRollbackSnapshot", preRollback.snapshotCommit());
    return details;
  }

  /** The intent's end and the audit entry, in one transaction. */
  private void finish(Intent intent, IntentState state, AuditAction action, String sessionId, String actor,
                      Map<String, Object> details, AuditOutcome outcome) {
    transactions.run(c -> {
      new IntentLog(c).finish(intent.intentId(), state, clock.instant());
      new AuditLog(c).append(action, clock.instant(), sessionId, actor, details, outcome);
      return null;
    });
  }

  private void audit(AuditAction action, String sessionId, String actor, Map<String, Object> details, AuditOutcome outcome) {
    transactions.run(c -> new AuditLog(c).append(action, clock.instant(), sessionId, actor, details, outcome));
  }

  private static Map<String, Object> details(Checkpoint target, boolean force, Map<String, Object> more) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", target.checkpointId());
    details.put("snapshotCommit", target.snapshotCommit());
    details.put("baseCommit", target.baseCommit());
    details.put("force", force);
    details.putAll(more);
    return details;
  }

  private static List<String> paths(DiffResult diff, DiffResult.ChangeKind kind) {
    return diff.changes().stream().filter(c -> c.kind() == kind).map(DiffResult.FileChange::path).toList();
  }
}
