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
import io.cortex.git.HeadTarget;
import io.cortex.git.RestoreConflictException;
import io.cortex.git.RestorePlan;
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

  /**
   * The dry run: what the rollback would change — the very plan the rollback applies ({@link RestorePlan}), so
   * the two never disagree — plus the patch. Writes nothing anywhere.
   */
  public RollbackPreview preview(Session session, Checkpoint target) {
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      SafetyReport safety = SafetyCheck.check(git, target, false, checkpoints(session), checkpointer.maxFileSizeBytes());
      RestorePlan plan = git.planRestore(target.snapshotCommit(), target.baseCommit(), checkpointer.maxFileSizeBytes(),
          HeadTarget.current());
      DiffResult diff = TreeDiff.workingTreeAgainst(git, target.snapshotCommit());
      return new RollbackPreview(session.sessionId(), target, safety, plan.modified(), plan.added(), plan.deleted(),
          plan.untrackedRemoved(), diff.stat(), diff.patch(), plan.permissionsChanged(), plan.leftAlone(),
          plan.keptIgnored(), plan.conflicts(), plan.indexChanges());
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
      return restore(session, last, force, true, actor, checkpoints);
    });
  }

  private RollbackResult restore(Session session, Checkpoint target, boolean force, boolean undo, String actor) {
    return restore(session, target, force, undo, actor, null);
  }

  private RollbackResult restore(Session session, Checkpoint target, boolean force, boolean undo, String actor,
                                 List<Checkpoint> checkpoints) {
    return locks.withLock(session.repository(), undo ? "undo" : "rollback",
        () -> restoreLocked(session, target, force, undo, actor, checkpoints));
  }

  /**
   * Which branch the operation that took PRE_ROLLBACK checkpoint {@code pre} moved, and where it left it: recorded
   * in the checkpoint's metrics since snapshot format 2; for older ones, the checkpoint's branch (the one checked out
   * when the rollback began) and the base commit of the checkpoint it went to.
   */
  private static MovedRef movedBy(Checkpoint pre, List<Checkpoint> checkpoints) {
    Map<String, Object> m = pre.metrics();
    if (m.containsKey(MOVED_BRANCH)) {
      Object branch = m.get(MOVED_BRANCH);
      Object at = m.get(LEFT_AT);
      return new MovedRef(branch == null ? null : branch.toString(), at == null ? null : at.toString());
    }
    Object to = m.get("rollbackTarget");
    String leftAt = checkpoints.stream().filter(c -> c.checkpointId().equals(to)).map(Checkpoint::baseCommit)
        .findFirst().orElse(pre.baseCommit());
    return new MovedRef(pre.branch(), leftAt);
  }

  /** A branch (null: a detached HEAD) and the commit an operation left it on (null: unborn). */
  private record MovedRef(String branch, String leftAt) {
  }

  static final String MOVED_BRANCH = "movedBranch";
  static final String LEFT_AT = "leftAt";

  private RollbackResult restoreLocked(Session session, Checkpoint target, boolean force, boolean undo, String actor,
                                       List<Checkpoint> checkpoints) {
    String sessionId = session.sessionId();
    AuditAction initiated = undo ? AuditAction.UNDO_INITIATED : AuditAction.ROLLBACK_INITIATED;
    AuditAction completed = undo ? AuditAction.UNDO_COMPLETED : AuditAction.ROLLBACK_COMPLETED;
    AuditAction failed = undo ? AuditAction.UNDO_FAILED : AuditAction.ROLLBACK_FAILED;
    try (GitWorkspace git = GitWorkspace.open(session.repository()).reportingTo(checkpointer.progress())) {
      // a git lock file in the way: refuse before anything is written (no audit entry, no PRE_ROLLBACK)
      git.requireNoGitLocks((undo ? "undo the last rollback" : "roll back to " + target.checkpointId())
          + " in session " + sessionId);
      // an undo returns the branch the rollback moved, as it was: refused when HEAD was moved since, unless forced
      MovedRef moved = undo ? movedBy(target, checkpoints) : null;
      // what the session's checkpoints keep (read under the lock: a rollback finishing meanwhile has newer ones)
      List<Checkpoint> kept = checkpoints != null ? checkpoints : checkpoints(session);
      SafetyReport safety = undo ? SafetyCheck.withUndoCheck(
          SafetyCheck.check(git, target, true, kept, checkpointer.maxFileSizeBytes()), git,
          moved.branch(), moved.leftAt()) : SafetyCheck.check(git, target, false, kept, checkpointer.maxFileSizeBytes());
      HeadTarget head = undo ? HeadTarget.asRecorded(target.branch()) : HeadTarget.current();
      String movedNow = undo ? (target.branch() == null ? git.head().orElse(null)
          : git.resolveRef("refs/heads/" + target.branch()).orElse(null)) : null;
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
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rollbackTarget", target.checkpointId());
        // what this operation moves, so that its undo knows what to return (and refuses when it was moved since)
        metrics.put(MOVED_BRANCH, undo ? target.branch() : git.currentBranch().orElse(null));
        metrics.put(LEFT_AT, target.baseCommit());
        Checkpoint pre = checkpointer.take(new Catalogue(c), new CheckpointRequest(sessionId, CheckpointType.PRE_ROLLBACK,
            null, null, session.processInstanceId(), null, metrics, actor));
        intent[0] = new IntentLog(c).begin(undo ? IntentOperation.UNDO : IntentOperation.ROLLBACK,
            RepositoryLocks.key(session.repository()), sessionId, clock.instant(), intentDetails(target, pre, head,
                undo ? movedNow : pre.baseCommit()));
        return pre;
      });
      RestoreResult restored;
      try {
        // compare-and-set on the moved ref against what it pointed at when the PRE_ROLLBACK checkpoint was taken
        restored = git.restoreSnapshot(target.snapshotCommit(), target.baseCommit(), checkpointer.maxFileSizeBytes(),
            undo ? movedNow : preRollback.baseCommit(), head);
      } catch (RuntimeException e) {
        RollbackFailedException.Aftermath aftermath = e instanceof RestoreConflictException
            ? RollbackFailedException.Aftermath.NOTHING_CHANGED : revert(git, preRollback);
        finish(intent[0], IntentState.FAILED, failed, sessionId, actor, details(target, force, Map.of("preRollback",
            preRollback.checkpointId(), "error", String.valueOf(e.getMessage()), "aftermath", aftermath.name())),
            AuditOutcome.FAILURE);
        throw new RollbackFailedException(sessionId, target.checkpointId(), preRollback.checkpointId(), e, aftermath);
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
   * Puts back the state a PRE_ROLLBACK checkpoint captured after a restore failed half-way: the branch it was on,
   * where it was, every file and the index; verified like any restore.
   */
  private RollbackFailedException.Aftermath revert(GitWorkspace git, Checkpoint preRollback) {
    try {
      git.restoreSnapshotUnguarded(preRollback.snapshotCommit(), preRollback.baseCommit(),
          checkpointer.maxFileSizeBytes(), HeadTarget.asRecorded(preRollback.branch()));
      return RollbackFailedException.Aftermath.REVERTED;
    } catch (RuntimeException e) {
      LOG.error("Could not put back {} after a failed restore in {}: {}", preRollback.checkpointId(), git.workTree(),
          e.getMessage());
      return RollbackFailedException.Aftermath.NOT_REVERTED;
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RollbackService.class);

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
    HeadTarget target = headTarget(intent.detail("head"));
    String moved = target.kind() == HeadTarget.Kind.BRANCH
        ? git.resolveRef("refs/heads/" + target.branch()).orElse(null) : git.head().orElse(null);
    String from = java.util.Objects.equals(moved, base) ? base : intent.detail("expectedHead");
    RestoreResult restored = git.restoreSnapshot(intent.detail("snapshotCommit"), base,
        checkpointer.maxFileSizeBytes(), from, target);
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("checkpointId", intent.detail("checkpointId"));
    done.put("preRollback", intent.detail("preRollback"));
    done.put("filesWritten", restored.written().size());
    done.put("filesDeleted", restored.deleted().size());
    return done;
  }

  private static Map<String, Object> intentDetails(Checkpoint target, Checkpoint preRollback, HeadTarget head,
                                                  String expectedHead) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", target.checkpointId());
    details.put("snapshotCommit", target.snapshotCommit());
    details.put("baseCommit", target.baseCommit());
    details.put("expectedHead", expectedHead);
    details.put("head", switch (head.kind()) {
      case CURRENT -> "current";
      case DETACHED -> "detached";
      case BRANCH -> "branch:" + head.branch();
    });
    details.put("preRollback", preRollback.checkpointId());
    details.put("preRollbackSnapshot", preRollback.snapshotCommit());
    return details;
  }

  /** The head target an intent recorded; intents written before it was recorded moved the current branch. */
  private static HeadTarget headTarget(String recorded) {
    if (recorded == null || recorded.equals("current")) {
      return HeadTarget.current();
    }
    return recorded.equals("detached") ? HeadTarget.detached() : HeadTarget.branch(recorded.substring("branch:".length()));
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

}
