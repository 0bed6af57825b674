package io.cortex.retention;

import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.db.Transactions;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitException;
import io.cortex.git.GitWorkspace;
import io.cortex.git.NotAGitRepositoryException;
import io.cortex.git.StaleGitLockException;
import io.cortex.intent.Intent;
import io.cortex.intent.IntentLog;
import io.cortex.intent.IntentOperation;
import io.cortex.intent.IntentState;
import io.cortex.lock.RepositoryBusyException;
import io.cortex.lock.RepositoryLocks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Enforces a {@link RetentionPolicy} on every session in the catalogue, repository by repository.
 *
 * <p>Per session, the catalogue rows of the checkpoints to delete and one {@code CHECKPOINT_DELETED}
 * audit entry each are written in one transaction; only after it commits are the refs deleted.
 * That transaction also records an {@link Intent} listing the refs; it is completed once they are deleted, and
 * if the process dies in between, whoever takes the repository's lock next deletes the rest
 * ({@link #finishInterrupted}). Inside that transaction the session's
 * rows are read again and a planned deletion is dropped if the checkpoint is gone, has another
 * snapshot, or has become protected, so a concurrent checkpoint or run cannot break the guarantees.
 *
 * <p>A repository that no longer exists is skipped and reported, never fatal; so is a failure in
 * one session, a git lock file in the way and a repository another operation holds too long.
 *
 * <p>Each repository is done under its lock ({@link RepositoryLocks}): no checkpoint, rollback or recovery
 * runs in it meanwhile, in any thread, process or engine node.
 */
public final class RetentionService {

  /** The actor retention's audit entries name. */
  public static final String ACTOR = "retention";

  private final RepositoryLocks locks;

  /** Locks in this JVM only. */
  public RetentionService() {
    this(new RepositoryLocks());
  }

  public RetentionService(RepositoryLocks locks) {
    this.locks = locks;
  }

  /**
   * Runs retention once.
   *
   * @param transactions runs work in a transaction of the engine's database
   * @param isRunning whether the process instance with the given id is still running; a session
   *     is live when its process instance is (sessions without one, e.g. imported, are not)
   * @param clock the time checkpoint ages are measured against, and audit entries carry
   */
  public RetentionReport run(Transactions transactions, Function<String, Boolean> isRunning, Clock clock,
                             RetentionPolicy policy) {
    return run(transactions, isRunning, clock, policy, false);
  }

  /**
   * Runs retention once, or with {@code dryRun} only plans it: the report then lists what a run would delete now,
   * and nothing is deleted, audited or locked.
   */
  public RetentionReport run(Transactions transactions, Function<String, Boolean> isRunning, Clock clock,
                             RetentionPolicy policy, boolean dryRun) {
    Instant now = clock.instant();
    Map<Session, List<Checkpoint>> catalogue = transactions.run(c -> {
      Catalogue cat = new Catalogue(c);
      Map<Session, List<Checkpoint>> all = new LinkedHashMap<>();
      for (Session s : cat.sessions()) {
        all.put(s, cat.checkpoints(s.sessionId()));
      }
      return all;
    });

    List<String> problems = new ArrayList<>();
    Map<Path, List<Session>> byRepository = new LinkedHashMap<>();
    Map<String, Boolean> live = new HashMap<>();
    for (Map.Entry<Session, List<Checkpoint>> e : catalogue.entrySet()) {
      Session s = e.getKey();
      if (e.getValue().isEmpty()) {
        continue;
      }
      byRepository.computeIfAbsent(s.repository().toAbsolutePath().normalize(), k -> new ArrayList<>()).add(s);
      live.put(s.sessionId(), isLive(s, isRunning, problems));
    }

    List<RetentionDeletion> deleted = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
    int kept = 0;
    for (Map.Entry<Path, List<Session>> repo : byRepository.entrySet()) {
      List<Session> sessions = repo.getValue();
      int checkpoints = sessions.stream().mapToInt(s -> catalogue.get(s).size()).sum();
      Optional<GitWorkspace> opened = open(repo.getKey(), sessions, skipped, problems);
      if (opened.isEmpty()) {
        continue;
      }
      try (GitWorkspace git = opened.get()) {
        if (dryRun) {
          List<RetentionDeletion> planned = plan(git, sessions, catalogue, live, now, policy, problems).deletions();
          deleted.addAll(planned);
          kept += checkpoints - planned.size();
          continue;
        }
        List<RetentionDeletion> done = locks.withLock(repo.getKey(), "retention", () -> {
          git.requireNoGitLocks("apply retention");
          return runRepository(transactions, git, sessions, catalogue, live, now, clock, policy, problems);
        });
        deleted.addAll(done);
        kept += checkpoints - done.size();
      } catch (StaleGitLockException | RepositoryBusyException e) {
        problems.add("Skipped " + repo.getKey() + " for now (nothing deleted there): " + e.getMessage());
        kept += checkpoints;
      }
    }
    return new RetentionReport(deleted, kept, skipped, problems);
  }

  private static List<RetentionDeletion> runRepository(Transactions transactions, GitWorkspace git,
                                                       List<Session> sessions, Map<Session, List<Checkpoint>> catalogue,
                                                       Map<String, Boolean> live, Instant now, Clock clock,
                                                       RetentionPolicy policy, List<String> problems) {
    RetentionPlan plan = plan(git, sessions, catalogue, live, now, policy, problems);
    List<RetentionDeletion> done = new ArrayList<>();
    for (Session session : sessions) {
      List<RetentionDeletion> planned = plan.deletionsOf(session.sessionId());
      if (!planned.isEmpty()) {
        done.addAll(deleteSession(transactions, git, session, live.get(session.sessionId()), planned, now, clock,
            policy, problems));
      }
    }
    return done;
  }

  private static RetentionPlan plan(GitWorkspace git, List<Session> sessions, Map<Session, List<Checkpoint>> catalogue,
                                    Map<String, Boolean> live, Instant now, RetentionPolicy policy, List<String> problems) {
    List<RetentionPlanner.SessionCheckpoints> input = sessions.stream()
        .map(s -> new RetentionPlanner.SessionCheckpoints(s.sessionId(), live.get(s.sessionId()), catalogue.get(s)))
        .toList();
    RetentionPlan plan = RetentionPlanner.plan(input, c -> size(git, c, problems), now, policy);
    if (policy.limitsSize() && plan.bytesAfter() > policy.maxTotalBytes()) {
      problems.add(git.workTree() + ": its checkpoints still hold " + plan.bytesAfter() + " bytes, more than the "
          + policy.maxTotalBytes() + " allowed, because the rest is protected");
    }
    return plan;
  }

  /** One transaction for the rows and audit entries of a session, then the refs. */
  private static List<RetentionDeletion> deleteSession(Transactions transactions, GitWorkspace git, Session session,
                                                       boolean live, List<RetentionDeletion> planned, Instant now,
                                                       Clock clock, RetentionPolicy policy, List<String> problems) {
    String sessionId = session.sessionId();
    List<String> dropped = new ArrayList<>();
    Intent[] intent = new Intent[1];
    List<RetentionDeletion> done;
    try {
      done = transactions.run(c -> {
        dropped.clear(); // a retried transaction starts over
        Catalogue cat = new Catalogue(c);
        AuditLog audit = new AuditLog(c);
        List<Checkpoint> current = cat.checkpoints(sessionId);
        Set<String> protectedNow = RetentionPlanner.protectedIds(current, live, now, policy);
        Map<String, Checkpoint> byId = new HashMap<>();
        current.forEach(cp -> byId.put(cp.checkpointId(), cp));
        List<RetentionDeletion> deletedRows = new ArrayList<>();
        intent[0] = null;
        for (RetentionDeletion d : planned) {
          Checkpoint cp = d.checkpoint();
          Checkpoint row = byId.get(cp.checkpointId());
          if (row == null || !row.snapshotCommit().equals(cp.snapshotCommit())
              || protectedNow.contains(cp.checkpointId())) {
            dropped.add(sessionId + "/" + cp.checkpointId());
            continue;
          }
          if (!cat.deleteCheckpoint(sessionId, cp.checkpointId())) {
            dropped.add(sessionId + "/" + cp.checkpointId());
            continue;
          }
          audit.append(AuditAction.CHECKPOINT_DELETED, clock.instant(), sessionId, ACTOR, details(d),
              AuditOutcome.SUCCESS);
          deletedRows.add(d);
        }
        if (!deletedRows.isEmpty()) {
          intent[0] = new IntentLog(c).begin(IntentOperation.RETENTION, RepositoryLocks.key(git.workTree()), sessionId,
              clock.instant(), Map.of("refs", deletedRows.stream().map(d -> Map.<String, Object>of(
                  "ref", CheckpointRefs.refName(sessionId, d.checkpoint().checkpointId()),
                  "commit", d.checkpoint().snapshotCommit())).toList()));
        }
        return deletedRows;
      });
    } catch (RuntimeException e) {
      problems.add("Session " + sessionId + ": deleting " + planned.size() + " checkpoint(s) failed, nothing deleted: "
          + e.getMessage());
      return List.of();
    }
    if (!dropped.isEmpty()) {
      problems.add("Session " + sessionId + ": kept " + String.join(", ", dropped)
          + " (gone, replaced or newly protected since planning)");
    }
    for (RetentionDeletion d : done) {
      deleteRef(git, d.checkpoint(), problems);
    }
    if (intent[0] != null) {
      transactions.run(c -> new IntentLog(c).finish(intent[0].intentId(), IntentState.COMPLETED, clock.instant()));
    }
    return done;
  }

  /**
   * Finishes a retention run whose process died between deleting rows and refs (see
   * {@link io.cortex.intent.InterruptedOperations}): deletes the refs its intent lists that still point at the
   * deleted snapshots (compare-and-delete; a ref reused meanwhile stays).
   */
  public static Map<String, Object> finishInterrupted(Intent intent, GitWorkspace git) {
    int deleted = 0;
    for (Map<String, Object> ref : intent.refs()) {
      String name = String.valueOf(ref.get("ref"));
      String commit = String.valueOf(ref.get("commit"));
      if (git.resolveRef(name).filter(commit::equals).isPresent()) {
        git.deleteRef(name, commit);
        deleted++;
      }
    }
    return Map.of("refsDeleted", deleted, "refsListed", intent.refs().size());
  }

  /** Deletes the ref only while it still points at the deleted snapshot (a new checkpoint may reuse the id). */
  private static void deleteRef(GitWorkspace git, Checkpoint c, List<String> problems) {
    String ref = CheckpointRefs.refName(c.sessionId(), c.checkpointId());
    try {
      Optional<String> target = git.resolveRef(ref);
      if (target.isEmpty()) {
        return;
      }
      if (!target.get().equals(c.snapshotCommit())) {
        problems.add(ref + " in " + git.workTree() + " now points at " + target.get() + ", not the deleted snapshot "
            + c.snapshotCommit() + "; left alone");
        return;
      }
      git.deleteRef(ref, c.snapshotCommit()); // compare-and-delete: a ref rewritten meanwhile stays
    } catch (GitException e) {
      problems.add(ref + " in " + git.workTree() + " could not be deleted (an orphan ref, harmless): " + e.getMessage());
    }
  }

  private static long size(GitWorkspace git, Checkpoint c, List<String> problems) {
    try {
      return git.snapshotSizeBytes(c.snapshotCommit(), c.baseCommit());
    } catch (GitException e) {
      problems.add(c.sessionId() + "/" + c.checkpointId() + ": size unknown, counted as 0: " + e.getMessage());
      return 0L;
    }
  }

  private static Optional<GitWorkspace> open(Path repository, List<Session> sessions, List<Path> skipped,
                                             List<String> problems) {
    try {
      return Optional.of(GitWorkspace.open(repository));
    } catch (NotAGitRepositoryException e) {
      skipped.add(repository);
      problems.add("Skipped " + repository + " (sessions " + String.join(", ", sessions.stream()
          .map(Session::sessionId).toList()) + "): " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A session whose liveness cannot be told counts as live: that only protects more. */
  private static boolean isLive(Session s, Function<String, Boolean> isRunning, List<String> problems) {
    if (s.processInstanceId() == null) {
      return false;
    }
    try {
      return !Boolean.FALSE.equals(isRunning.apply(s.processInstanceId()));
    } catch (RuntimeException e) {
      problems.add("Session " + s.sessionId() + ": could not tell whether its process instance runs, treated as live: "
          + e.getMessage());
      return true;
    }
  }

  private static Map<String, Object> details(RetentionDeletion d) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", d.checkpoint().checkpointId());
    details.put("type", d.checkpoint().type().name());
    details.put("reason", d.reason().name());
    details.put("snapshotCommit", d.checkpoint().snapshotCommit());
    if (d.reason() == RetentionReason.SIZE) {
      details.put("sizeBytes", d.sizeBytes());
    }
    return details;
  }
}
