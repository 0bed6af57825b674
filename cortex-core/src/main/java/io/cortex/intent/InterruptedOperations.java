package io.cortex.intent;

import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.db.Transactions;
import io.cortex.git.GitWorkspace;
import io.cortex.git.NotAGitRepositoryException;
import io.cortex.git.StaleGitLockException;
import io.cortex.lock.OwnerLiveness;
import io.cortex.lock.RepositoryBusyException;
import io.cortex.lock.RepositoryLocks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the operations whose process died half-way: a {@link IntentState#PENDING} {@link Intent} found while
 * holding its repository's lock can only be that (its writer held the lock until it finished the intent).
 *
 * <p>It runs each time a repository's lock is taken ({@link RepositoryLocks#afterAcquire}), so whatever
 * touches a repository next — a job retry, a CLI call, another engine node — first completes what was
 * interrupted there; and once when an engine starts ({@link #resumeAll}) for every repository with a pending
 * intent. Finishing means rolling forward, with the same idempotent git steps: a rollback or undo restores its
 * target again (compare-and-set on the branch against the HEAD before or after the move), retention deletes
 * its remaining refs. Lock files the dead process left (e.g. {@code index.lock}, held during a restore) are
 * removed first, when they date from after the intent; any other lock file stays and is reported.
 *
 * <p>Only an operation whose process has provably ended is finished ({@link OwnerLiveness}): one whose owner still
 * runs — its lock vanished under it — fails the new holder's acquisition with {@link RepositoryBusyException}.
 *
 * <p>Each finished intent gets one {@code OPERATION_RESUMED} audit entry. One that cannot be finished (the
 * branch was moved by a commit meanwhile) is marked {@link IntentState#FAILED}, audited with what to do, and
 * no longer blocks the repository (and the engine raises an incident on the session's process instance); one held up by a git lock file or a busy repository stays pending.
 */
public final class InterruptedOperations {

  /** The actor the audit entries of resumed operations name. */
  public static final String ACTOR = "cortex";

  private static final Logger LOG = LoggerFactory.getLogger(InterruptedOperations.class);

  /** Finishes one interrupted operation in its open repository; returns what it did, for the audit entry. */
  @FunctionalInterface
  public interface Finisher {
    Map<String, Object> finish(Intent intent, GitWorkspace git);
  }

  private final Transactions transactions;
  private final Clock clock;
  private final Map<IntentOperation, Finisher> finishers;
  private final java.util.function.BiConsumer<Intent, String> onUnfinished;
  private final OwnerLiveness liveness;

  /**
   * @param onUnfinished told of an intent that could not be finished, with what happened and what to do (the
   *     engine raises an incident)
   */
  public InterruptedOperations(Transactions transactions, Clock clock, Map<IntentOperation, Finisher> finishers,
                               java.util.function.BiConsumer<Intent, String> onUnfinished) {
    this.transactions = transactions;
    this.clock = clock;
    this.finishers = new EnumMap<>(finishers);
    this.onUnfinished = onUnfinished;
    this.liveness = new OwnerLiveness(clock);
  }

  /**
   * Finishes the pending intents of one repository. Call with its lock held; {@code lockConnection} (may be
   * null) is the lock's own connection, for the one query that usually finds nothing.
   */
  public void resume(Path repository, java.sql.Connection lockConnection) {
    String key = RepositoryLocks.key(repository);
    List<Intent> pending = lockConnection != null ? new IntentLog(lockConnection).pending(key)
        : transactions.run(c -> new IntentLog(c).pending(key));
    for (Intent intent : pending) {
      boolean ended = lockConnection != null ? liveness.ended(intent.owner(), intent.createdAt(), lockConnection)
          : transactions.run(c -> liveness.ended(intent.owner(), intent.createdAt(), c));
      if (!ended) {
        // fencing: our lock may exist only because the owner's vanished (a lost database connection); the owner
        // still runs its operation, and acting on it now would undo its work under it
        throw new RepositoryBusyException(key, "the " + intent.operation().name().toLowerCase(java.util.Locale.ROOT)
            + " that " + intent.owner() + " began at " + intent.createdAt() + " still runs (its process is alive;"
            + " an interrupted operation is finished only once its process has ended)", 0);
      }
      resume(intent);
    }
  }

  /**
   * Takes the lock of every repository with a pending intent, which finishes them (through the lock's hook).
   * A repository whose lock is held is skipped (its holder is alive and finishes its own intent), as is one
   * not on this machine. Never throws: returns the problems met.
   */
  public List<String> resumeAll(RepositoryLocks locks) {
    List<String> problems = new ArrayList<>();
    Set<String> repositories = new LinkedHashSet<>();
    try {
      transactions.run(c -> new IntentLog(c).pending()).forEach(i -> repositories.add(i.repository()));
    } catch (RuntimeException e) {
      problems.add("Could not read the pending intents: " + e.getMessage());
    }
    for (String repository : repositories) {
      try {
        locks.withLock(Path.of(repository), "resume interrupted operations", () -> null);
      } catch (RepositoryBusyException e) {
        LOG.info("Interrupted operations in {} left for now: {}", repository, e.getMessage());
      } catch (RuntimeException e) {
        problems.add(repository + ": " + e.getMessage());
        LOG.warn("Could not finish the interrupted operations in {}: {}", repository, e.getMessage());
      }
    }
    return problems;
  }

  private void resume(Intent intent) {
    Path repository = Path.of(intent.repository());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("operation", intent.operation().name());
    details.put("intentId", intent.intentId());
    details.put("startedAt", intent.createdAt().toString());
    details.put("startedBy", intent.owner());
    GitWorkspace git;
    try {
      git = GitWorkspace.open(repository);
    } catch (NotAGitRepositoryException e) {
      LOG.warn("Interrupted {} in {} not finished: the repository is not here ({}); it stays pending",
          intent.operation(), repository, e.getMessage());
      return;
    }
    try (git) {
      List<String> refs = intent.refs().stream().map(r -> String.valueOf(r.get("ref"))).toList();
      List<Path> removed = git.removeLockFilesLeftBy(intent.createdAt(), refs);
      if (!removed.isEmpty()) {
        details.put("removedLockFiles", removed.stream().map(Path::toString).toList());
      }
      Finisher finisher = finishers.get(intent.operation());
      if (finisher == null) {
        throw new IllegalStateException("no finisher for " + intent.operation());
      }
      details.putAll(finisher.finish(intent, git));
      record(intent, IntentState.COMPLETED, details, AuditOutcome.SUCCESS);
      LOG.warn("Finished the {} in {} that {} began at {} and did not complete", intent.operation(), repository,
          intent.owner(), intent.createdAt());
    } catch (StaleGitLockException | RepositoryBusyException e) {
      throw e; // stays pending; whoever took the lock fails with the reason and the fix
    } catch (RuntimeException e) {
      String whatToDo = whatToDo(intent);
      details.put("error", String.valueOf(e.getMessage()));
      details.put("whatToDo", whatToDo);
      record(intent, IntentState.FAILED, details, AuditOutcome.FAILURE);
      onUnfinished.accept(intent, "The " + intent.operation().name().toLowerCase(java.util.Locale.ROOT)
          + " that " + intent.owner() + " began at " + intent.createdAt() + " was interrupted and could not be finished: "
          + e.getMessage() + ". " + whatToDo);
      LOG.warn("Could not finish the interrupted {} in {}: {}. {}", intent.operation(), repository, e.getMessage(),
          whatToDo);
    }
  }

  private void record(Intent intent, IntentState state, Map<String, Object> details, AuditOutcome outcome) {
    transactions.run(c -> {
      if (new IntentLog(c).finish(intent.intentId(), state, clock.instant())) {
        new AuditLog(c).append(AuditAction.OPERATION_RESUMED, clock.instant(), intent.sessionId(), ACTOR, details,
            outcome);
      }
      return null;
    });
  }

  private static String whatToDo(Intent intent) {
    return switch (intent.operation()) {
      case ROLLBACK, UNDO -> "The working tree may hold part of the old and part of the new state. Checkpoint "
          + intent.detail("preRollback") + " (PRE_ROLLBACK) holds everything that was on disk before: inspect with "
          + "'./cortex diff', then './cortex undo' or roll back to the checkpoint you want.";
      case RETENTION -> "Some checkpoint refs of deleted catalogue rows may remain; they are harmless orphans.";
    };
  }
}
