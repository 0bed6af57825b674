package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.observer.CortexObserver;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.git.GitWorkspace;
import io.cortex.lock.LockStatistics;
import io.cortex.lock.RepositoryLocks;
import io.cortex.rollback.RollbackResult;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads of one engine checkpoint, roll back and undo the same repository at once (and phases end
 * meanwhile): nothing is lost, no ref is corrupted, no two rollbacks interleave, the audit log is complete.
 *
 * <p>"No interleaving" is checked where it can be decided: an observer runs at the end of every rollback and
 * undo, still inside its lock, and compares the working tree with the rollback's target. The threads also
 * edit files, under the same lock as a well-behaved tool would, so the states differ and the comparison is
 * exact.
 */
class ConcurrentOperationsTest {

  private static final String SESSION = "concurrency-001";
  /** The suite's numbers; a soak run raises them: {@code -Dcortex.soak.threads=16 -Dcortex.soak.seconds=120}. */
  private static final int THREADS = Integer.getInteger("cortex.soak.threads", 8);
  private static final Duration RUN_FOR = Duration.ofSeconds(Long.getLong("cortex.soak.seconds", 3));
  private static final long SEED = 20261123L;

  @TempDir
  Path temp;

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void manyThreadsCheckpointingRollingBackAndUndoingOneRepositoryLoseNothingAndNeverInterleave() throws Exception {
    Cortex cortex = SharedEngine.cortex();
    CortexObserver checker = null;
    try {
      // given: a session, and an observer that checks each rollback's result while the rollback still holds the lock
      TempRepo repo = TempRepo.init(temp).write("README.md", "# concurrency\n").write("shared.txt", "0\n")
          .commitAll("init");
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
      RepositoryLocks locks = SharedEngine.plugin().locks();
      List<String> interleaved = new CopyOnWriteArrayList<>();
      AtomicInteger observedRestores = new AtomicInteger();
      checker = new CortexObserver() {
        @Override
        public void rollbackCompleted(RollbackResult result) {
          observedRestores.incrementAndGet();
          if (!RepositoryLocks.isHeldByCurrentThread(repo.dir())) {
            interleaved.add("observer of " + result.target().checkpointId() + " ran outside the lock");
          }
          try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
            String onDisk = git.captureWorkingTree(Long.MAX_VALUE).treeId();
            String target = git.treeOfCommit(result.target().snapshotCommit()).treeId();
            if (!onDisk.equals(target)) {
              interleaved.add((result.undo() ? "undo to " : "rollback to ") + result.target().checkpointId()
                  + ": working tree " + onDisk + " != target tree " + target);
            }
          }
        }
      };
      cortex.addObserver(checker);
      Tally tally = new Tally();
      LockStatistics before = RepositoryLocks.statistics();

      // when: eight threads, each a seeded random mix of edit / checkpoint / rollback / undo, for a few seconds
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      long deadline = System.nanoTime() + RUN_FOR.toNanos();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          Random random = new Random(SEED + thread);
          int n = 0;
          while (System.nanoTime() < deadline) {
            n++;
            step(cortex, locks, repo, random, thread, n, tally);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(RUN_FOR.toSeconds() + 90, TimeUnit.SECONDS);
      }
      pool.shutdown();
      LockStatistics locking = RepositoryLocks.statistics().since(before);

      // then: nothing lost, nothing corrupted, nothing interleaved, everything audited
      List<Checkpoint> rows = cortex.checkpoints(SESSION);
      List<String> problems = new ArrayList<>(Consistency.problems(repo.dir(), SESSION, rows));
      Map<String, String> commitOfRow = new java.util.HashMap<>();
      rows.forEach(r -> commitOfRow.put(r.checkpointId(), r.snapshotCommit()));
      for (Checkpoint made : tally.created) {
        if (!made.snapshotCommit().equals(commitOfRow.get(made.checkpointId()))) {
          problems.add("lost: " + made.checkpointId() + " -> " + made.snapshotCommit());
        }
      }
      int expectedRows = 1 + tally.phaseEnds.get() + tally.created.size() + tally.restores.size();
      assertThat(rows).as("session-start + phase ends + created + one PRE_ROLLBACK per rollback/undo")
          .hasSize(expectedRows);
      assertThat(rows.stream().filter(r -> r.type() == CheckpointType.PRE_ROLLBACK).count())
          .isEqualTo(tally.restores.size());
      for (RollbackResult r : tally.restores) {
        if (!r.preRollback().snapshotCommit().equals(commitOfRow.get(r.preRollback().checkpointId()))) {
          problems.add("lost PRE_ROLLBACK " + r.preRollback().checkpointId());
        }
      }
      Map<AuditAction, Integer> audit = audit(cortex);
      long rollbacks = tally.restores.stream().filter(r -> !r.undo()).count();
      long undos = tally.restores.size() - rollbacks;
      assertThat(audit.get(AuditAction.CHECKPOINT_CREATED)).isEqualTo(rows.size());
      assertThat(audit.get(AuditAction.ROLLBACK_INITIATED)).isEqualTo((int) rollbacks);
      assertThat(audit.get(AuditAction.ROLLBACK_COMPLETED)).isEqualTo((int) rollbacks);
      assertThat(audit.get(AuditAction.UNDO_INITIATED)).isEqualTo((int) undos);
      assertThat(audit.get(AuditAction.UNDO_COMPLETED)).isEqualTo((int) undos);
      assertThat(audit.get(AuditAction.ROLLBACK_FAILED) + audit.get(AuditAction.UNDO_FAILED)).isZero();
      assertThat(observedRestores.get()).isEqualTo(tally.restores.size());
      assertThat(tally.unexpected).as("unexpected failures").isEmpty();
      assertThat(interleaved).as("rollbacks that interleaved").isEmpty();
      assertThat(problems).as("inconsistencies").isEmpty();
      assertThat(locking.timedOut()).isZero();
      assertThat(locking.waitedInJvm()).as("the threads really contended").isPositive();
      assertThat(tally.rollbacksTried.get()).isPositive();
      assertThat(undos).isPositive();

      System.out.printf("reliability/concurrency: threads=%d seconds=%d operations=%d (edits=%d checkpoints=%d"
              + " rollbacks=%d undos=%d phaseEnds=%d nothingToUndo=%d) rows=%d refs=%d lockAcquisitions=%d"
              + " reentered=%d conflictsWaited=%d timeouts=%d interleaved=%d inconsistencies=%d%n",
          THREADS, RUN_FOR.toSeconds(), tally.operations.get(), tally.edits.get(), tally.created.size(), rollbacks,
          undos, tally.phaseEnds.get(), tally.nothingToUndo.get(), rows.size(),
          Consistency.refs(repo.dir(), SESSION).size(), locking.acquired(), locking.reentered(),
          locking.conflictsWaited(), locking.timedOut(), interleaved.size(), problems.size());
    } finally {
      if (checker != null) {
        cortex.removeObserver(checker);
      }
    }
  }

  /** One random operation of one thread. */
  private static void step(Cortex cortex, RepositoryLocks locks, TempRepo repo, Random random, int thread, int n,
                           Tally tally) {
    tally.operations.incrementAndGet();
    int dice = random.nextInt(100);
    try {
      if (thread == 0 && (n == 2 || n == 5) && tally.phasesCompleted.get() < 2) {
        String phase = tally.phasesCompleted.get() == 0 ? "DoR" : "Implementation";
        cortex.completePhase(SESSION, phase, Map.of("thread", thread));
        tally.phasesCompleted.incrementAndGet();
        tally.phaseEnds.incrementAndGet();
      } else if (dice < 30) {
        // an edit, under the repository's lock like any cooperating writer
        locks.withLock(repo.dir(), "test edit", () -> {
          if (random.nextInt(4) == 0) {
            repo.write("shared.txt", thread + ":" + n + "\n");
          } else if (random.nextInt(5) == 0 && repo.dir().resolve("t" + thread + ".txt").toFile().exists()) {
            repo.delete("t" + thread + ".txt");
          } else {
            repo.write("t" + thread + ".txt", "thread " + thread + " edit " + n + "\n");
          }
          return null;
        });
        tally.edits.incrementAndGet();
      } else if (dice < 65) {
        String id = random.nextBoolean() ? null : "t" + thread + "-" + n;
        tally.created.add(cortex.createCheckpoint(SESSION, id, Map.of("thread", thread, "n", n)));
      } else if (dice < 88) {
        List<Checkpoint> targets = cortex.checkpoints(SESSION).stream()
            .filter(c -> c.type() != CheckpointType.PRE_ROLLBACK).toList();
        Checkpoint target = targets.get(random.nextInt(targets.size()));
        tally.rollbacksTried.incrementAndGet();
        tally.restores.add(cortex.rollback(SESSION, target.checkpointId(), true));
      } else {
        tally.restores.add(cortex.undo(SESSION, true));
      }
    } catch (io.cortex.base.CortexException e) {
      if (e.getMessage().startsWith("Nothing to undo")) {
        tally.nothingToUndo.incrementAndGet();
      } else {
        tally.unexpected.add(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    } catch (RuntimeException e) {
      tally.unexpected.add(e.toString());
    }
  }

  private static Map<AuditAction, Integer> audit(Cortex cortex) {
    Map<AuditAction, Integer> counts = new EnumMap<>(AuditAction.class);
    for (AuditAction a : AuditAction.values()) {
      counts.put(a, 0);
    }
    for (AuditEntry e : cortex.audit(SESSION, 100_000)) {
      counts.merge(e.action(), 1, Integer::sum);
    }
    return counts;
  }

  private static final class Tally {
    final AtomicInteger operations = new AtomicInteger();
    final AtomicInteger edits = new AtomicInteger();
    final AtomicInteger phaseEnds = new AtomicInteger();
    final AtomicInteger phasesCompleted = new AtomicInteger();
    final AtomicInteger rollbacksTried = new AtomicInteger();
    final AtomicInteger nothingToUndo = new AtomicInteger();
    final List<Checkpoint> created = Collections.synchronizedList(new ArrayList<>());
    final List<RollbackResult> restores = Collections.synchronizedList(new ArrayList<>());
    final List<String> unexpected = new CopyOnWriteArrayList<>();
  }
}
