package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.lock.RepositoryBusyException;
import io.cortex.lock.RepositoryLocks;
import io.cortex.testing.DiskState;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several OS processes on one database and one repository, as engine nodes on PostgreSQL: the database row lock
 * serialises them. The database is an H2 file that the test configures with {@code AUTO_SERVER=TRUE}
 * ({@code TestEngines.sharedH2}), so that several processes can open it (Cortex itself never does: one process
 * owns a data directory's database). This JVM opens the database first (it hosts H2's
 * server) and takes part; the other processes are {@link CheckpointWorker}s, started once for both tests
 * (a JVM with an engine takes seconds to start): the first of them begins by holding another repository.
 */
@Tag("slow")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessLockingTest {

  /** The suite's numbers; a soak run raises them: {@code -Dcortex.soak.processes=6 -Dcortex.soak.processOperations=100}. */
  private static final int PROCESSES = Integer.getInteger("cortex.soak.processes", 3);
  private static final int OPERATIONS_PER_PROCESS = Integer.getInteger("cortex.soak.processOperations", 8);
  private static final int PARENT_CHECKPOINTS = 4;
  private static final String SHARED_SESSION = "multi-process-001";
  private static final String HELD_SESSION = "held-001";

  @TempDir
  static Path temp;

  private static Path data;
  private static Cortex cortex;
  private static TempRepo shared;
  private static TempRepo held;
  private static Path go;
  private static Path release;
  private static final List<Worker> WORKERS = new ArrayList<>();

  @BeforeAll
  static void startEngineAndWorkers() throws IOException {
    data = Files.createDirectories(temp.resolve("data"));
    cortex = Cortex.start(io.cortex.testing.TestEngines.sharedH2(data), data);
    shared = TempRepo.init(temp).write("README.md", "# shared\n").commitAll("init");
    cortex.startSession(Workflow.PLANNING, SHARED_SESSION, shared.dir());
    held = TempRepo.init(temp).write("README.md", "# held\n").commitAll("init");
    cortex.startSession(Workflow.PLANNING, HELD_SESSION, held.dir());
    go = temp.resolve("go");
    release = temp.resolve("release");
    for (int i = 0; i < PROCESSES; i++) {
      List<String> args = new ArrayList<>(List.of("checkpoints", data.toString(), shared.dir().toString(),
          SHARED_SESSION, String.valueOf(OPERATIONS_PER_PROCESS), go.toString()));
      if (i == 0) {
        args.addAll(List.of(held.dir().toString(), release.toString()));
      }
      WORKERS.add(Worker.start(temp, i, args));
    }
  }

  @AfterAll
  static void stopEngineAndWorkers() throws IOException {
    for (Path signal : List.of(release, go)) {
      if (signal != null && !Files.exists(signal)) {
        Files.createFile(signal);
      }
    }
    WORKERS.forEach(w -> {
      if (w.process.isAlive()) {
        w.process.destroyForcibly();
      }
    });
    if (cortex != null) {
      cortex.close();
    }
  }

  @Test
  @Order(1)
  void aRepositoryHeldByAnotherProcessMakesCheckpointsWaitAndNamesItsHolder() throws Exception {
    // given: another process holds the repository's lock
    Worker holder = WORKERS.get(0);
    String pid = holder.await("HOLDING", Duration.ofSeconds(120)).split(" ")[1];
    Map<String, String> before = DiskState.everything(held.dir());
    DataSource dataSource = ((ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration())
        .getDataSource();

    // when: an impatient lock gives up; a checkpoint waits
    Throwable busy;
    CompletableFuture<Checkpoint> waiting;
    boolean doneWhileHeld;
    Map<String, String> whileHeld;
    try {
      busy = catchThrowable(() -> new RepositoryLocks(Duration.ofMillis(1500)).useDatabase(dataSource)
          .withLock(held.dir(), "test-probe", () -> null));
      waiting = CompletableFuture.supplyAsync(() -> cortex.createCheckpoint(HELD_SESSION, "after-the-holder", Map.of()));
      Thread.sleep(1000);
      doneWhileHeld = waiting.isDone();
      whileHeld = DiskState.everything(held.dir());
    } finally {
      Files.createFile(release);
    }
    Checkpoint after = waiting.get(60, TimeUnit.SECONDS);

    // then
    assertThat(busy).isInstanceOf(RepositoryBusyException.class)
        .hasMessageContaining(RepositoryLocks.key(held.dir()))
        .hasMessageContaining(pid + "@")
        .hasMessageContaining("test-hold");
    assertThat(doneWhileHeld).as("the checkpoint waited for the other process").isFalse();
    assertThat(whileHeld).isEqualTo(before);
    holder.await("RELEASED", Duration.ofSeconds(60));
    assertThat(after.checkpointId()).isEqualTo("after-the-holder");
    assertThat(Consistency.problems(held.dir(), HELD_SESSION, cortex.checkpoints(HELD_SESSION))).isEmpty();
  }

  @Test
  @Order(2)
  void threeProcessesAndThisOneCheckpointingAndRollingBackOneRepositoryLoseNothing() throws Exception {
    // given
    if (!Files.exists(release)) {
      Files.createFile(release); // run on its own: the first worker need not hold anything
    }
    for (Worker w : WORKERS) {
      w.await("READY", Duration.ofSeconds(120));
    }
    WORKERS.get(0).await("RELEASED", Duration.ofSeconds(60));

    // when: all start at once; this JVM takes checkpoints meanwhile
    Files.createFile(go);
    List<Checkpoint> mine = new ArrayList<>();
    for (int i = 0; i < PARENT_CHECKPOINTS; i++) {
      mine.add(cortex.createCheckpoint(SHARED_SESSION, null, Map.of("pid", "test")));
    }
    for (Worker w : WORKERS) {
      assertThat(w.awaitExit(Duration.ofSeconds(120L + 5L * OPERATIONS_PER_PROCESS))).as(w.describe()).isZero();
    }

    // then
    Map<String, String> promised = new HashMap<>();
    mine.forEach(c -> promised.put(c.checkpointId(), c.snapshotCommit()));
    int rollbacks = 0;
    long waitedInDatabase = 0;
    for (Worker w : WORKERS) {
      for (String line : w.lines) {
        String[] p = line.split(" ");
        switch (p[0]) {
          case "CREATED" -> promised.put(p[1], p[2]);
          case "ROLLBACK" -> {
            promised.put(p[2], p[3]);
            rollbacks++;
          }
          case "STATS" -> waitedInDatabase += Long.parseLong(p[3]);
          default -> { }
        }
      }
    }
    List<Checkpoint> rows = cortex.checkpoints(SHARED_SESSION);
    Map<String, String> byRow = new HashMap<>();
    rows.forEach(r -> byRow.put(r.checkpointId(), r.snapshotCommit()));
    List<String> problems = new ArrayList<>(Consistency.problems(shared.dir(), SHARED_SESSION, rows));
    promised.forEach((id, commit) -> {
      if (!commit.equals(byRow.get(id))) {
        problems.add("lost: " + id + " -> " + commit + " (row: " + byRow.get(id) + ")");
      }
    });
    int operations = PROCESSES * OPERATIONS_PER_PROCESS + PARENT_CHECKPOINTS;
    assertThat(promised).hasSize(operations);
    assertThat(rows).as("session-start plus one row per operation").hasSize(1 + operations);
    assertThat(rows.stream().filter(r -> r.type() == CheckpointType.PRE_ROLLBACK).count()).isEqualTo(rollbacks);
    assertThat(problems).as("inconsistencies").isEmpty();
    assertThat(waitedInDatabase).as("the processes really queued on the database lock").isPositive();
    System.out.printf("reliability/processes: processes=%d+1 operations=%d (rollbacks=%d) rows=%d refs=%d"
            + " conflictsWaitedInDatabase=%d inconsistencies=%d%n", PROCESSES, operations, rollbacks, rows.size(),
        Consistency.refs(shared.dir(), SHARED_SESSION).size(), waitedInDatabase, problems.size());
  }

  /** A {@link CheckpointWorker} JVM on this JVM's class path. */
  static final class Worker {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Path stderr;

    private Worker(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("WORKER ")) {
              lines.add(line.substring("WORKER ".length()));
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "worker-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Worker start(Path temp, int n, List<String> args) throws IOException {
      Path stderr = temp.resolve("worker-" + n + ".err");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), CheckpointWorker.class.getName()));
      command.addAll(args);
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      process.getOutputStream().close();
      return new Worker(process, stderr);
    }

    String await(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : lines) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
        if (!process.isAlive() && lines.stream().noneMatch(l -> l.startsWith(prefix))) {
          Thread.sleep(100); // let the reader catch up with the last lines
          if (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
            throw new AssertionError("worker ended without '" + prefix + "': " + describe());
          }
        }
        Thread.sleep(10);
      }
      throw new AssertionError("no '" + prefix + "' within " + timeout + ": " + describe());
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("worker did not exit within " + timeout + ": " + describe());
      }
      Thread.sleep(50);
      return process.exitValue();
    }

    String describe() {
      String err;
      try {
        err = Files.exists(stderr) ? Files.readString(stderr) : "";
      } catch (IOException e) {
        err = e.toString();
      }
      return "lines " + lines + ", stderr: " + (err.length() > 4000 ? err.substring(err.length() - 4000) : err);
    }
  }
}
