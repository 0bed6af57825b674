package io.cortex.retention;

import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Decides which checkpoints retention deletes. Pure: it reads nothing and writes nothing, it only
 * looks at the checkpoints, the time and the policy it is given.
 *
 * <p>The rules, in this order (a checkpoint deleted by one rule is not looked at by the next):
 * <ol>
 *   <li>{@link RetentionReason#COUNT COUNT}: a session with more than {@code maxCheckpoints}
 *       loses its oldest until it has {@code maxCheckpoints} (or only protected ones are left);</li>
 *   <li>{@link RetentionReason#AGE AGE}: checkpoints older than {@code retentionMs} go;</li>
 *   <li>{@link RetentionReason#SIZE SIZE}: while the checkpoints of all sessions of the repository
 *       hold more than {@code maxTotalBytes}, the oldest go (those of size 0 stay: deleting them
 *       frees nothing).</li>
 * </ol>
 *
 * <p>Never deleted ({@link #protectedIds}): the newest checkpoint of a live session, every
 * PRE_ROLLBACK not older than {@code retentionMs}, and the newest PRE_ROLLBACK of a live session
 * (what {@code undo} restores), whatever its age.
 */
public final class RetentionPlanner {

  /**
   * The checkpoints of one session, oldest first (as the catalogue lists them).
   *
   * @param live whether the session's process instance is still running
   */
  public record SessionCheckpoints(String sessionId, boolean live, List<Checkpoint> checkpoints) {

    public SessionCheckpoints {
      Objects.requireNonNull(sessionId, "sessionId");
      checkpoints = List.copyOf(checkpoints);
    }
  }

  private RetentionPlanner() {
  }

  /** The plan for one session alone, without sizes: the count and age rules. */
  public static RetentionPlan plan(List<Checkpoint> checkpoints, boolean live, Instant now, RetentionPolicy policy) {
    String sessionId = checkpoints.isEmpty() ? "" : checkpoints.get(0).sessionId();
    return plan(List.of(new SessionCheckpoints(sessionId, live, checkpoints)), c -> 0L, now, policy);
  }

  /**
   * The plan for all sessions of one repository.
   *
   * @param sizeBytes what each checkpoint's snapshot holds beyond its base commit; only asked
   *     when the policy limits the size
   */
  public static RetentionPlan plan(List<SessionCheckpoints> repository, ToLongFunction<Checkpoint> sizeBytes,
                                   Instant now, RetentionPolicy policy) {
    Set<Checkpoint> protectedOnes = identitySet();
    Map<Checkpoint, Long> sizes = new IdentityHashMap<>();
    for (SessionCheckpoints session : repository) {
      Set<String> ids = protectedIds(session.checkpoints(), session.live(), now, policy);
      for (Checkpoint c : session.checkpoints()) {
        if (ids.contains(c.checkpointId())) {
          protectedOnes.add(c);
        }
        sizes.put(c, policy.limitsSize() ? Math.max(0L, sizeBytes.applyAsLong(c)) : 0L);
      }
    }
    Set<Checkpoint> deleted = identitySet();
    List<RetentionDeletion> deletions = new ArrayList<>();

    // (a) count, per session
    for (SessionCheckpoints session : repository) {
      int excess = session.checkpoints().size() - policy.maxCheckpoints();
      for (Checkpoint c : session.checkpoints()) {
        if (excess <= 0) {
          break;
        }
        if (!protectedOnes.contains(c)) {
          deletions.add(new RetentionDeletion(c, RetentionReason.COUNT, sizes.get(c)));
          deleted.add(c);
          excess--;
        }
      }
    }

    // (b) age
    for (SessionCheckpoints session : repository) {
      for (Checkpoint c : session.checkpoints()) {
        if (!deleted.contains(c) && !protectedOnes.contains(c) && isOlderThanRetention(c, now, policy)) {
          deletions.add(new RetentionDeletion(c, RetentionReason.AGE, sizes.get(c)));
          deleted.add(c);
        }
      }
    }

    // (c) size, over the whole repository, oldest first
    long before = sizes.values().stream().mapToLong(Long::longValue).sum();
    long total = before - deleted.stream().mapToLong(sizes::get).sum();
    if (policy.limitsSize() && total > policy.maxTotalBytes()) {
      List<Checkpoint> candidates = new ArrayList<>();
      for (SessionCheckpoints session : repository) {
        for (Checkpoint c : session.checkpoints()) {
          if (!deleted.contains(c) && !protectedOnes.contains(c) && sizes.get(c) > 0) {
            candidates.add(c);
          }
        }
      }
      candidates.sort(Comparator.comparing(Checkpoint::createdAt).thenComparing(Checkpoint::sessionId)
          .thenComparingLong(Checkpoint::sequence));
      for (Checkpoint c : candidates) {
        if (total <= policy.maxTotalBytes()) {
          break;
        }
        deletions.add(new RetentionDeletion(c, RetentionReason.SIZE, sizes.get(c)));
        deleted.add(c);
        total -= sizes.get(c);
      }
    }

    List<Checkpoint> kept = new ArrayList<>();
    for (SessionCheckpoints session : repository) {
      session.checkpoints().stream().filter(c -> !deleted.contains(c)).forEach(kept::add);
    }
    return new RetentionPlan(deletions, kept, before, total);
  }

  /**
   * The ids retention never deletes in a session whose checkpoints are {@code checkpoints} (oldest
   * first): the newest of a live session, the newest PRE_ROLLBACK of a live session, and every
   * PRE_ROLLBACK not older than the retention period.
   */
  public static Set<String> protectedIds(List<Checkpoint> checkpoints, boolean live, Instant now, RetentionPolicy policy) {
    Set<String> ids = new LinkedHashSet<>();
    if (live && !checkpoints.isEmpty()) {
      ids.add(checkpoints.get(checkpoints.size() - 1).checkpointId());
    }
    Checkpoint newestPreRollback = null;
    for (Checkpoint c : checkpoints) {
      if (c.type() == CheckpointType.PRE_ROLLBACK) {
        newestPreRollback = c;
        if (!isOlderThanRetention(c, now, policy)) {
          ids.add(c.checkpointId());
        }
      }
    }
    if (live && newestPreRollback != null) {
      ids.add(newestPreRollback.checkpointId());
    }
    return ids;
  }

  /** Whether the checkpoint is older than the retention period (strictly: at exactly the period it is not). */
  static boolean isOlderThanRetention(Checkpoint c, Instant now, RetentionPolicy policy) {
    return now.toEpochMilli() - c.createdAt().toEpochMilli() > policy.retentionMs();
  }

  private static Set<Checkpoint> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
