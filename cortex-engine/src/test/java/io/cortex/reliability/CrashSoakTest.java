package io.cortex.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cortex.Cortex;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.SnapshotMessage;
import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import io.cortex.git.GitWorkspace;
import io.cortex.git.StaleGitLockException;
import io.cortex.testing.TempRepo;
import io.cortex.workflow.Workflow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a {@link CrashWorker} JVM works on a repository (checkpoints, rollbacks, undos, retention
 * runs) and is killed with {@code kill -9} at a random moment, or a few milliseconds into one of its
 * operations; then an engine starts on the same H2 file, as the next CLI call or server would, and the test
 * checks what it finds:
 * <ul>
 *   <li>no operation is left pending (the engine's start finished it), unless a lock file the dead process
 *   cannot be proven to own blocks it — then the next operation reports that file and its fix;</li>
 *   <li>every catalogue row has its ref, at its commit, and the commit's metadata matches the row; a ref without
 *   a row appears only when a checkpoint (or a rollback's PRE_ROLLBACK) was cut before its row committed — the
 *   documented orphan, never listed, whose id and sequence number no later checkpoint takes (rebuild can list it);</li>
 *   <li>the working tree equals the state before the interrupted operation or the state after it;</li>
 *   <li>when a rollback or undo got as far as its PRE_ROLLBACK checkpoint, that checkpoint holds exactly what was
 *   on disk before; and a tree changed by it always has one;</li>
 *   <li>{@code git fsck} finds nothing.</li>
 * </ul>
 * {@code -Dcortex.soak.runs=N} sets the number of kills (6 in the suite; the soak run in
 * docs/reliability.md uses 200); the figures go to standard output and {@code target/soak/crash-soak.txt}.
 */
@Tag("slow")
class CrashSoakTest {

  private static final String SESSION = "crash-soak";
  private static final int RUNS = Integer.getInteger("cortex.soak.runs", 6);
  private static final int MAX_KILL_DELAY_MS = Integer.getInteger("cortex.soak.maxDelayMs", 1500);

  @TempDir
  Path temp;

  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<String> inconsistencies = new ArrayList<>();
  private final Set<String> seenResumed = new HashSet<>();
  private final Set<Path> seenLocks = new HashSet<>();

  @Test
  void killedAtRandomPointsTheRepositoryAndTheCatalogueAlwaysComeBackConsistent() throws Exception {
    Path data = temp.resolve("data");
    Path config = temp.resolve("cortex.yaml");
    Files.writeString(config, "checkpoint:\n  maxCheckpoints: 8\n");
    CortexConfig cortexConfig = ConfigLoader.load(config);
    Path journal = temp.resolve("journal.txt");
    TempRepo repo = TempRepo.init(temp);
    for (int i = 0; i < 300; i++) {
      repo.write("src/d" + (i % 10) + "/F" + (i / 10) + ".txt", "line\n".repeat(1 + i % 40));
    }
    repo.commitAll("init");
    try (Cortex cortex = Cortex.start(cortexConfig, data)) {
      cortex.startSession(Workflow.PLANNING, SESSION, repo.dir());
    }

    Random random = new Random(Long.getLong("cortex.soak.seed", 20261207L));
    Set<String> orphans = new HashSet<>();
    long started = System.nanoTime();
    for (int run = 1; run <= RUNS; run++) {
      long journalLength = Files.exists(journal) ? Files.size(journal) : 0;
      killWorker(run, data, repo, journal, config, random.nextLong(), random);
      Interrupted interrupted = Interrupted.from(Files.readString(journal).substring((int) journalLength));
      count("kills landing in " + (interrupted == null ? "no operation (between operations)" : interrupted.op));
      try (Cortex cortex = Cortex.start(cortexConfig, data)) {
        check(run, cortex, repo, interrupted, orphans);
      }
    }
    counts.put("runs", RUNS);
    report(Math.round((System.nanoTime() - started) / 1e9));
    assertThat(inconsistencies).isEmpty();
    assertThat(counts.getOrDefault("kills landing in no operation (between operations)", 0))
        .as("kills that cut an operation").isLessThan(RUNS);
  }

  private void check(int run, Cortex cortex, TempRepo repo, Interrupted interrupted, Set<String> orphans) {
    String where = "run " + run + (interrupted == null ? "" : " (" + interrupted.op + " " + interrupted.target + ")");
    for (AuditEntry e : cortex.audit(SESSION, 50)) {
      if (e.action() == AuditAction.OPERATION_RESUMED && seenResumed.add(e.entryId())) {
        count(e.outcome() == AuditOutcome.SUCCESS ? "interrupted operations finished at restart: "
            + e.details().get("operation") : "interrupted operations that could not be finished");
        if (e.details().containsKey("removedLockFiles")) {
          count("lock files of the dead process removed at restart");
        }
      }
    }

    // the lock file of a checkpoint ref a kill cut: removed by the next checkpoint that takes that id
    List<Path> locks = lockFiles(repo.dir());
    for (Path lock : locks) {
      if (lock.startsWith(repo.dir().resolve(".git/refs/cortex/checkpoints")) && seenLocks.add(lock)) {
        count("checkpoint ref lock files left by a cut checkpoint (removed when the id is used next)");
      }
    }
    // any other lock file left behind is not provably the dead process's: reported with the fix, then fixed as told
    List<Path> others = locks.stream()
        .filter(lock -> !lock.startsWith(repo.dir().resolve(".git/refs/cortex/checkpoints"))).toList();
    if (!others.isEmpty()) {
      others.forEach(lock -> count("stale lock files reported (not provably the dead process's): "
          + repo.dir().resolve(".git").relativize(lock)));
      Throwable refused = catchThrowable(() -> cortex.createCheckpoint(SESSION, null, Map.of()));
      if (!(refused instanceof StaleGitLockException) || !refused.getMessage().contains(".lock")) {
        inconsistencies.add(where + ": lock files " + others + " left, but the next checkpoint said: " + refused);
      }
      others.forEach(lock -> lock.toFile().delete());
      cortex.createCheckpoint(SESSION, null, Map.of()); // takes the lock, so finishes what was pending
    }
    int pending = pendingIntents(cortex);
    if (pending != 0) {
      inconsistencies.add(where + ": " + pending + " intent(s) still pending");
    }

    List<Checkpoint> rows = cortex.checkpoints(SESSION);
    Map<String, String> refs = Consistency.refs(repo.dir(), SESSION);
    Set<String> newOrphans = new HashSet<>();
    try (GitWorkspace git = GitWorkspace.open(repo.dir())) {
      for (Checkpoint row : rows) {
        if (!row.snapshotCommit().equals(refs.get(row.checkpointId()))) {
          inconsistencies.add(where + ": row " + row.checkpointId() + " -> " + row.snapshotCommit() + ", ref -> "
              + refs.get(row.checkpointId()));
        } else if (!SnapshotMessage.parse(git.commitMessage(row.snapshotCommit()), row.snapshotCommit())
            .integrityHash().equals(row.integrityHash())) {
          inconsistencies.add(where + ": the metadata of " + row.checkpointId() + " does not match its row");
        }
      }
      for (Map.Entry<String, String> ref : refs.entrySet()) {
        if (rows.stream().noneMatch(r -> r.checkpointId().equals(ref.getKey()))) {
          Checkpoint parsed = SnapshotMessage.parse(git.commitMessage(ref.getValue()), ref.getValue());
          if (!parsed.checkpointId().equals(ref.getKey())) {
            inconsistencies.add(where + ": orphan ref " + ref.getKey() + " holds checkpoint " + parsed.checkpointId());
          }
          if (!orphans.contains(ref.getKey())) {
            newOrphans.add(ref.getKey());
          }
        }
      }
    }
    if (!newOrphans.isEmpty()) {
      count("orphan refs of checkpoints cut before their row committed");
      if (interrupted == null || interrupted.op.equals("retention") || newOrphans.size() > 1) {
        inconsistencies.add(where + ": refs without rows " + newOrphans);
      }
    }
    orphans.clear();
    refs.keySet().stream().filter(id -> rows.stream().noneMatch(r -> r.checkpointId().equals(id))).forEach(orphans::add);

    if (interrupted != null) {
      String now = repo.nativeSnapshotTree();
      boolean isBefore = now.equals(interrupted.before);
      boolean isAfter = now.equals(interrupted.after);
      if (!isBefore && !isAfter) {
        inconsistencies.add(where + ": the working tree " + now + " is neither the state before (" + interrupted.before
            + ") nor after (" + interrupted.after + ")");
      }
      count("working tree found " + (isBefore && isAfter ? "unchanged (before = after)" : isBefore ? "as before" : "as after"));
      List<Checkpoint> preRollbacks = rows.stream().filter(c -> c.type() == CheckpointType.PRE_ROLLBACK).toList();
      boolean newPreRollback = preRollbacks.size() > interrupted.preRollbacks
          && preRollbacks.get(preRollbacks.size() - 1).createdAt().isAfter(java.time.Instant.now().minusSeconds(30));
      if (newPreRollback && !interrupted.op.equals("checkpoint") && !interrupted.op.equals("retention")) {
        String held = CrashWorker.tree(repo, preRollbacks.get(preRollbacks.size() - 1));
        if (!held.equals(interrupted.before)) {
          inconsistencies.add(where + ": the PRE_ROLLBACK checkpoint holds " + held + ", not what was on disk "
              + interrupted.before);
        }
      }
      if (!isBefore && !newPreRollback) {
        inconsistencies.add(where + ": the working tree changed but no PRE_ROLLBACK checkpoint holds what was there");
      }
    }
    if (run % 10 == 0 || run == RUNS) {
      Consistency.Run fsck = Consistency.run(repo.dir(), "git", "fsck", "--no-dangling", "--full");
      if (fsck.exit() != 0 || !fsck.err().isBlank() && fsck.err().toLowerCase(java.util.Locale.ROOT).matches(
          "(?s).*(error|broken|missing|bad|invalid).*")) {
        inconsistencies.add(where + ": git fsck: " + fsck.out() + fsck.err());
      }
    }
  }

  /**
   * Starts a worker and kills it: on odd runs at a random moment up to {@code MAX_KILL_DELAY_MS} after it is
   * ready (anywhere: in an operation, between two, in a file edit); on even runs 0-100 ms into its first to
   * fourth operation, so that every run of a few kills cuts operations too.
   */
  private void killWorker(int run, Path data, TempRepo repo, Path journal, Path config, long seed, Random random)
      throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        CrashWorker.class.getName(), data.toString(), repo.dir().toString(), SESSION, Long.toString(seed),
        journal.toString(), config.toString());
    Path stderr = temp.resolve("worker-stderr.txt");
    Process worker = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the worker was killed
      }
      lines.add("EOF");
    });
    reader.setDaemon(true);
    reader.start();
    try {
      await(lines, "GO", 1, stderr);
      if (run % 2 == 1) {
        Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS + 1));
      } else {
        await(lines, "OP ", 1 + random.nextInt(4), stderr);
        Thread.sleep(random.nextInt(101));
      }
    } finally {
      worker.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      if (!worker.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the worker did not die");
      }
    }
  }

  /** Waits for the {@code n}th line starting with {@code prefix}; two minutes at most. */
  private static void await(java.util.concurrent.BlockingQueue<String> lines, String prefix, int n, Path stderr)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    int seen = 0;
    while (seen < n) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || line.equals("EOF")) {
        throw new AssertionError("the worker " + (line == null ? "did not say '" + prefix + "' within 2 minutes"
            : "died before it said '" + prefix + "'") + ": " + Files.readString(stderr));
      }
      if (line.startsWith(prefix)) {
        seen++;
      }
    }
  }

  private static List<Path> lockFiles(Path repo) {
    try (Stream<Path> files = Files.walk(repo.resolve(".git"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int pendingIntents(Cortex cortex) {
    javax.sql.DataSource dataSource = ((ProcessEngineConfigurationImpl) cortex.engine().getProcessEngineConfiguration())
        .getDataSource();
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM CORTEX_INTENT WHERE STATE_ = 'PENDING'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  private void report(long seconds) throws IOException {
    StringBuilder text = new StringBuilder("Crash soak: " + RUNS + " kill -9 at random points, " + seconds + " s\n");
    counts.forEach((what, n) -> text.append(String.format("  %5d  %s%n", n, what)));
    text.append(String.format("  %5d  inconsistencies found%n", inconsistencies.size()));
    inconsistencies.forEach(i -> text.append("         ").append(i).append('\n'));
    System.out.print(text);
    Path out = Path.of("target", "soak");
    Files.createDirectories(out);
    Files.writeString(out.resolve("crash-soak.txt"), text);
  }

  /** The operation the kill cut, from the worker's journal: the last BEGIN without its END. */
  private record Interrupted(String op, String target, String before, String after, int preRollbacks) {

    static Interrupted from(String journal) {
      List<String> lines = journal.lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i);
        if (line.startsWith("END")) {
          return null;
        }
        if (line.startsWith("BEGIN ")) {
          String[] parts = line.split(" ");
          Map<String, String> values = new TreeMap<>();
          for (int p = 3; p < parts.length; p++) {
            String[] kv = parts[p].split("=", 2);
            values.put(kv[0], kv[1]);
          }
          return new Interrupted(parts[1], parts[2], values.get("before"), values.get("after"),
              Integer.parseInt(values.get("preRollbacks")));
        }
      }
      return null;
    }
  }
}
