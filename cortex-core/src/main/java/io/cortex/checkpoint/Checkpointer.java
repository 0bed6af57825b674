package io.cortex.checkpoint;

import io.cortex.git.CapturedTree;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import io.cortex.lock.RepositoryLocks;
import io.cortex.lock.TransactionScope;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;

/**
 * Takes checkpoints: snapshot of the working tree, ref, catalogue row — the one place where
 * that happens, whatever asked for it (a phase end, the API, the CLI).
 *
 * <p>Git is not transactional, so the order matters: objects and ref first, catalogue row last
 * (in the caller's transaction). If that transaction rolls back, the ref is an orphan: the engine's
 * retry of the same phase end (same activity instance) replaces it; any other checkpoint leaves it alone, taking
 * neither its id nor its sequence number, and {@code rebuild} can restore a row from it.
 *
 * <p>The repository's lock ({@link RepositoryLocks}) is held from reading the catalogue until the caller's
 * transaction has committed the row: the next checkpoint, in any thread, process or engine node, sees this
 * one's row, so it never derives the same id. A ref without a row is such an orphan, or a checkpoint whose row was
 * lost; either way its id and sequence number stay taken ({@link UnlistedRefs}).
 */
public final class Checkpointer {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checkpointer.class);

  private final io.cortex.progress.ProgressListener progress;
  private final long maxFileSizeBytes;
  private final Clock clock;
  private final CheckpointEvents events;
  private final RepositoryLocks locks;
  private final TransactionScope transaction;

  /** Locks in this JVM only, released when {@link #take} returns. */
  public Checkpointer(long maxFileSizeBytes, Clock clock, CheckpointEvents events) {
    this(maxFileSizeBytes, clock, events, new RepositoryLocks(), TransactionScope.NONE);
  }

  /**
   * @param locks the repository locks (the engine's: JVM and database)
   * @param transaction the caller's transaction, which the lock outlives so the catalogue row commits first
   */
  public Checkpointer(long maxFileSizeBytes, Clock clock, CheckpointEvents events, RepositoryLocks locks,
                      TransactionScope transaction) {
    this(maxFileSizeBytes, clock, events, locks, transaction, io.cortex.progress.ProgressListener.NONE);
  }

  /** @param progress told how the scan of a working tree goes */
  public Checkpointer(long maxFileSizeBytes, Clock clock, CheckpointEvents events, RepositoryLocks locks,
                      TransactionScope transaction, io.cortex.progress.ProgressListener progress) {
    this.progress = progress;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.clock = clock;
    this.events = events;
    this.locks = locks;
    this.transaction = transaction;
  }

  /** Where long steps report (the engine's progress listeners); a rollback's restore reports there too. */
  public io.cortex.progress.ProgressListener progress() {
    return progress;
  }

  public long maxFileSizeBytes() {
    return maxFileSizeBytes;
  }

  public Checkpoint take(Catalogue catalogue, CheckpointRequest request) {
    String sessionId = Ids.requireValidSessionId(request.sessionId());
    if (request.checkpointId() != null) {
      Ids.requireValidCheckpointId(request.checkpointId());
    }
    Session session = catalogue.session(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
    return locks.withLockUntilTransactionEnds(session.repository(), "checkpoint " + request.type(), transaction,
        () -> takeLocked(catalogue, request, session));
  }

  /** Under the repository's lock: everything read here is what the previous holder committed. */
  private Checkpoint takeLocked(Catalogue catalogue, CheckpointRequest request, Session session) {
    String sessionId = session.sessionId();
    Optional<Checkpoint> earlier = request.activityInstanceId() == null ? Optional.empty()
        : catalogue.checkpointOfActivityInstance(sessionId, request.activityInstanceId(), request.type());
    if (earlier.isPresent()) {
      return earlier.get(); // the engine retried a phase end that had already been checkpointed
    }

    try (GitWorkspace git = GitWorkspace.open(session.repository()).reportingTo(progress)) {
      List<Checkpoint> rows = catalogue.checkpoints(sessionId);
      UnlistedRefs unlisted = UnlistedRefs.of(git, sessionId, rows);
      // the orphan of this very request, cut before its row committed (the engine retries a phase end): replaced
      Predicate<RefContent> retried = orphan -> orphan.readable() && request.activityInstanceId() != null
          && request.activityInstanceId().equals(orphan.checkpoint().activityInstanceId())
          && orphan.checkpoint().type() == request.type();
      Set<String> rowIds = rows.stream().map(Checkpoint::checkpointId).collect(Collectors.toSet());
      String checkpointId = request.checkpointId() != null ? request.checkpointId()
          : nextFreeId(request, rowIds, id -> rowIds.contains(id) || unlisted.holds(id, retried));
      if (request.checkpointId() != null && rowIds.contains(checkpointId)) {
        throw new CheckpointExistsException(sessionId, checkpointId);
      }
      if (request.checkpointId() != null && unlisted.holds(checkpointId, retried)) {
        throw new CheckpointExistsException(sessionId, checkpointId, CheckpointRefs.refName(sessionId, checkpointId));
      }
      String ref = CheckpointRefs.refName(sessionId, checkpointId);
      // no row has this id, and we hold the lock: a lock file on its ref is a killed checkpoint's
      git.removeLeftoverCheckpointRefLock(ref).ifPresent(lock -> LOG.warn(
          "Removed {}, left by a checkpoint whose process was killed while writing that ref", lock));
      git.requireNoGitLocks("take checkpoint " + checkpointId + " of session " + sessionId, ref);
      CapturedTree tree = git.captureWorkingTree(maxFileSizeBytes);
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      // never a sequence number an unlisted ref holds: rebuild restores those checkpoints next to this one
      Checkpoint draft = new Checkpoint(sessionId, checkpointId, unlisted.nextSequence(rows, retried), request.type(),
          request.phase(), request.processInstanceId(), request.activityInstanceId(), tree.baseCommit(), "",
          tree.branch(), now, request.metrics(), tree.skipped(), null);
      String commit = git.commitSnapshot(tree, SnapshotMessage.format(draft, tree.format()), now);
      Checkpoint checkpoint = SnapshotMessage.withHash(new Checkpoint(draft.sessionId(), draft.checkpointId(),
          draft.sequence(), draft.type(), draft.phase(), draft.processInstanceId(), draft.activityInstanceId(),
          draft.baseCommit(), commit, draft.branch(), draft.createdAt(), draft.metrics(), draft.skipped(), null));
      // No catalogue row has this id and no unlisted ref holds it, except the orphan of this request's own earlier
      // try (checked above, under the lock, which the row's writer held until it committed): that orphan is
      // replaced, by compare-and-set against it, so a writer outside Cortex's lock is never clobbered.
      git.updateRef(ref, commit, git.resolveRef(ref).orElse(null));
      catalogue.insert(checkpoint);
      events.created(checkpoint, request.actor());
      return checkpoint;
    }
  }

  private static String nextFreeId(CheckpointRequest request, Set<String> rowIds, Predicate<String> taken) {
    if (request.type() == CheckpointType.SESSION_START) {
      return "session-start";
    }
    String prefix = switch (request.type()) {
      case PHASE_END -> request.phase().toLowerCase(Locale.ROOT);
      case PRE_ROLLBACK -> "pre-rollback";
      case RECOVERY_POINT -> "recovery";
      case AUTO_PERIODIC -> request.phase() == null ? "auto" : request.phase().toLowerCase(Locale.ROOT) + "-auto";
      default -> "user";
    };
    // counting on from the ids in use, so an id retention freed is not handed out again
    long n = rowIds.stream().filter(id -> id.startsWith(prefix + "-")).count() + 1;
    while (taken.test(prefix + "-" + n)) {
      n++;
    }
    return prefix + "-" + n;
  }
}
