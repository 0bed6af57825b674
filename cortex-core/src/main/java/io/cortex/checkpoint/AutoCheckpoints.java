package io.cortex.checkpoint;

import io.cortex.db.Transactions;
import io.cortex.git.GitException;
import io.cortex.git.GitWorkspace;
import io.cortex.lock.RepositoryLocks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code AUTO_PERIODIC} checkpoints of phases that run long: a session gets one when its last
 * checkpoint is older than {@code checkpoint.autoCheckpoint.intervalMs} (and at least
 * {@code checkpoint.minIntervalMs}) and its working tree differs from that checkpoint.
 *
 * <p>Each session is looked at and checkpointed under its repository's lock ({@link RepositoryLocks}), so
 * "last checkpoint" and "changed since" are not overtaken by a checkpoint or rollback of another thread,
 * process or node.
 */
public final class AutoCheckpoints {

  public static final String ACTOR = "auto-checkpoint";

  private final Checkpointer checkpointer;
  private final Transactions transactions;
  private final Clock clock;
  private final Duration minAge;
  private final RepositoryLocks locks;

  public AutoCheckpoints(Checkpointer checkpointer, Transactions transactions, Clock clock, long intervalMs,
                         long minIntervalMs) {
    this(checkpointer, transactions, clock, intervalMs, minIntervalMs, new RepositoryLocks());
  }

  public AutoCheckpoints(Checkpointer checkpointer, Transactions transactions, Clock clock, long intervalMs,
                         long minIntervalMs, RepositoryLocks locks) {
    this.locks = locks;
    this.checkpointer = checkpointer;
    this.transactions = transactions;
    this.clock = clock;
    this.minAge = Duration.ofMillis(Math.max(intervalMs, minIntervalMs));
  }

  /**
   * @param activePhaseBySession the running sessions and the phase each is in
   * @return the checkpoints taken
   */
  public List<Checkpoint> run(Map<String, String> activePhaseBySession) {
    List<Checkpoint> taken = new ArrayList<>();
    activePhaseBySession.forEach((sessionId, phase) -> {
      Optional<Session> known = transactions.run(c -> new Catalogue(c).session(sessionId));
      known.flatMap(s -> locks.withLock(s.repository(), "auto-checkpoint", () -> due(sessionId).map(session ->
          transactions.run(c -> checkpointer.take(new Catalogue(c), new CheckpointRequest(sessionId,
              CheckpointType.AUTO_PERIODIC, null, phase, session.processInstanceId(), null,
              Map.of("auto", true), ACTOR)))))).ifPresent(taken::add);
    });
    return taken;
  }

  /** The session, if its last checkpoint is old enough and something changed on disk since. */
  private Optional<Session> due(String sessionId) {
    Optional<Session> session = transactions.run(c -> new Catalogue(c).session(sessionId));
    List<Checkpoint> checkpoints = transactions.run(c -> new Catalogue(c).checkpoints(sessionId));
    if (session.isEmpty() || checkpoints.isEmpty()) {
      return Optional.empty();
    }
    Checkpoint last = checkpoints.get(checkpoints.size() - 1);
    if (last.createdAt().plus(minAge).isAfter(Instant.now(clock))) {
      return Optional.empty();
    }
    try (GitWorkspace git = GitWorkspace.open(session.get().repository())) {
      String now = git.captureTreeOnly(checkpointer.maxFileSizeBytes()).treeId();
      String then = git.treeOfCommit(last.snapshotCommit()).treeId();
      return now.equals(then) ? Optional.empty() : session;
    } catch (GitException e) {
      return Optional.empty(); // a repository that moved away is retention's business, not ours
    }
  }
}
