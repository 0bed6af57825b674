package io.cortex.reliability;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.lock.LockStatistics;
import io.cortex.lock.RepositoryLocks;
import io.cortex.rollback.RollbackResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * A separate OS process for {@link MultiProcessLockingTest}: opens the shared H2 file database
 * ({@code AUTO_SERVER=TRUE}) through {@link Cortex#start} as a CLI call would, and works on the shared repository.
 * It speaks to the test through lines starting with {@code WORKER} on standard output.
 *
 * <pre>
 * checkpoints DATA REPO SESSION COUNT GO_FILE [HOLD_REPO RELEASE]
 *   with HOLD_REPO: first hold HOLD_REPO's lock until RELEASE exists;
 *   then wait for GO_FILE, and do COUNT operations on REPO: checkpoints, every 4th a rollback
 * </pre>
 */
public final class CheckpointWorker {

  private CheckpointWorker() {
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[1]);
    Path repo = Path.of(args[2]);
    String session = args[3];
    Path signal = Path.of(args[5]);
    long pid = ProcessHandle.current().pid();
    int exit = 0;
    try (Cortex cortex = Cortex.start(io.cortex.testing.TestEngines.sharedH2(data), data)) {
      say("READY " + pid);
      if (args.length > 7) {
        Path holdRepo = Path.of(args[6]);
        Path release = Path.of(args[7]);
        RepositoryLocks locks = CortexProcessEnginePlugin.of(
            (ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration()).orElseThrow().services().locks();
        locks.withLock(holdRepo, "test-hold", () -> {
          say("HOLDING " + pid);
          try {
            awaitFile(release);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
        say("RELEASED " + pid);
      }
      int count = Integer.parseInt(args[4]);
      awaitFile(signal);
      LockStatistics before = RepositoryLocks.statistics();
      Random random = new Random(pid);
      for (int i = 1; i <= count; i++) {
        if (i % 4 == 0) {
          List<Checkpoint> targets = cortex.checkpoints(session).stream()
              .filter(c -> c.type() != CheckpointType.PRE_ROLLBACK).toList();
          Checkpoint target = targets.get(random.nextInt(targets.size()));
          RollbackResult r = cortex.rollback(session, target.checkpointId(), true);
          say("ROLLBACK " + target.checkpointId() + " " + r.preRollback().checkpointId() + " "
              + r.preRollback().snapshotCommit());
        } else {
          String id = i % 2 == 0 ? "p" + pid + "-" + i : null;
          Checkpoint c = cortex.createCheckpoint(session, id, Map.of("pid", pid, "i", i));
          say("CREATED " + c.checkpointId() + " " + c.snapshotCommit());
        }
      }
      LockStatistics s = RepositoryLocks.statistics().since(before);
      say("STATS " + s.acquired() + " " + s.waitedInJvm() + " " + s.waitedInDatabase() + " " + s.timedOut());
    } catch (RuntimeException e) {
      say("FAILED " + e);
      e.printStackTrace();
      exit = 1;
    }
    say("DONE " + pid);
    System.exit(exit);
  }

  private static void say(String line) {
    System.out.println("WORKER " + line);
    System.out.flush();
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + file + " within 120 s");
      }
      Thread.sleep(10);
    }
  }
}
