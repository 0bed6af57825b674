package io.cortex.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.client.OwnerRecord;
import io.cortex.daemon.Launcher.Result;
import io.cortex.testing.TempRepo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency soak of the resident Cortex, through the real launcher: {@value #DEFAULT_WRITERS} CLI writers take
 * checkpoints in parallel on one data directory while the resident process is killed with {@code kill -9} at random
 * and {@code ./cortex serve} is started and stopped. Every call either succeeds or fails with one {@code cortex:}
 * line; every success is in the catalogue and the refs afterwards; every refusal changed nothing; and the database
 * never went back (its high-water mark holds). {@code -Dcortex.soak.residentSeconds=N} (60 in the suite; the figures
 * in docs/reliability.md come from a longer run) and {@code -Dcortex.soak.residentWriters=N}; the figures go to
 * standard output and {@code target/soak/resident-soak.txt}.
 */
@Tag("slow")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ResidentSoakTest {

  static final int DEFAULT_WRITERS = 3;
  private static final int SECONDS = Integer.getInteger("cortex.soak.residentSeconds", 60);
  private static final int WRITERS = Integer.getInteger("cortex.soak.residentWriters", DEFAULT_WRITERS);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private final Map<String, Integer> counts = new TreeMap<>();

  @Test
  void parallelWritersWithKilledResidentAndServeStartedAndStoppedLoseNothing() throws Exception {
    // given
    Path data = temp.resolve("data");
    Launcher launcher = new Launcher(data);
    List<TempRepo> repos = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      TempRepo repo = TempRepo.init(temp).write("README.md", "# " + w + "\n").commitAll("init");
      repos.add(repo);
      Result started = launcher.cortex(temp, "start", "tdd", "--repo", repo.dir().toString(), "--session", "soak-" + w);
      assertThat(started.exit()).as("%s", started).isZero();
    }
    Map<String, String> succeeded = new ConcurrentHashMap<>(); // session/id -> short commit
    List<String> refused = new CopyOnWriteArrayList<>();       // session/id
    List<String> unclear = new CopyOnWriteArrayList<>();
    List<String> cutByKill = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    Process serve = null;

    try {
      // when: writers in parallel
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          int n = 0;
          while (System.nanoTime() < deadline) {
            String session = "soak-" + writer;
            String id = "w" + writer + "-" + (++n);
            repos.get(writer).write("f" + (n % 5) + ".txt", "n=" + n + "\n");
            Result r = launcher.cortex(temp, "checkpoint", "create", "--session", session, "--id", id);
            calls.incrementAndGet();
            if (r.exit() == 0 && r.out().startsWith("Checkpoint " + id + " (USER_REQUESTED) -> ")) {
              succeeded.put(session + "/" + id, r.out().substring(r.out().indexOf("-> ") + 3).strip());
            } else if (r.exit() == 1 && r.err().startsWith("cortex: ") && r.err().strip().lines().count() == 1) {
              if (r.err().contains("stopped while this command ran")) {
                cutByKill.add(session + "/" + id);
              } else {
                refused.add(session + "/" + id + ": " + r.err().strip());
              }
            } else {
              unclear.add(session + "/" + id + " " + r);
            }
          }
        }, "writer-" + w);
        t.start();
        writers.add(t);
      }
      // and: chaos — kill -9 of the resident process, serve started and stopped
      Random random = new Random(Long.getLong("cortex.soak.seed", 20261208L));
      boolean servedOnce = false;
      while (System.nanoTime() < deadline) {
        Thread.sleep(2000 + random.nextInt(4000));
        Optional<OwnerRecord> owner = launcher.owner();
        if (!servedOnce && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(SECONDS / 2)) {
          servedOnce = true;
          serve = startServe(launcher, data);
          count("serve started (took over from the resident process)");
          Thread.sleep(5000);
          serve.destroy(); // SIGTERM, as Ctrl-C
          serve.waitFor(120, TimeUnit.SECONDS);
          serve = null;
          count("serve stopped");
        } else if (owner.isPresent() && owner.get().kind().equals("daemon") && random.nextInt(3) > 0) {
          new ProcessBuilder("kill", "-9", Long.toString(owner.get().pid())).start().waitFor();
          count("resident process killed with kill -9");
        }
      }
      for (Thread t : writers) {
        t.join(TimeUnit.MINUTES.toMillis(10));
      }

      // then
      counts.put("calls", calls.get());
      counts.put("calls succeeded", succeeded.size());
      counts.put("calls refused with one line (nothing changed)", refused.size());
      counts.put("calls cut by a kill, told so", cutByKill.size());
      counts.put("calls without a clear outcome", unclear.size());
      List<String> problems = new ArrayList<>(unclear);
      for (int w = 0; w < WRITERS; w++) {
        String session = "soak-" + w;
        Result listed = launcher.cortex(temp, "checkpoints", "--session", session, "--json");
        assertThat(listed.exit()).as("%s", listed).isZero();
        Map<String, String> catalogue = new TreeMap<>();
        for (JsonNode c : JSON.readTree(listed.out())) {
          catalogue.put(c.path("checkpoint_id").asText(), c.path("commit_sha").asText());
        }
        String refs = repos.get(w).git("for-each-ref", "--format=%(refname:lstrip=4) %(objectname)",
            "refs/cortex/checkpoints/" + session + "/");
        for (Map.Entry<String, String> s : succeeded.entrySet()) {
          if (!s.getKey().startsWith(session + "/")) {
            continue;
          }
          String id = s.getKey().substring(session.length() + 1);
          if (!catalogue.containsKey(id) || !catalogue.get(id).startsWith(s.getValue())) {
            problems.add("success " + s.getKey() + " -> " + s.getValue() + " not in the catalogue: " + catalogue.keySet());
          } else if (!refs.contains(id + " " + catalogue.get(id))) {
            problems.add("success " + s.getKey() + " has no ref at " + catalogue.get(id));
          }
        }
        for (String r : refused) {
          String id = r.substring(0, r.indexOf(':'));
          if (id.startsWith(session + "/") && catalogue.containsKey(id.substring(session.length() + 1))) {
            problems.add("refused call changed the catalogue: " + r);
          }
        }
      }
      Result status = launcher.cortex(temp, "daemon", "status");
      assertThat(status.out()).as("the database never went back").contains("database  ok");
      report();
      assertThat(problems).isEmpty();
      assertThat(succeeded).isNotEmpty();
    } finally {
      if (serve != null) {
        serve.destroyForcibly();
      }
      launcher.stopResident(temp);
    }
  }

  private Process startServe(Launcher launcher, Path data) throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = temp.resolve("serve-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(Launcher.HOME.resolve("cortex").toString(), "--data", data.toString(),
        "serve", "--port", Integer.toString(port)).directory(temp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("CORTEX_CLASSPATH", System.getProperty("java.class.path"));
    Process serve = builder.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && serve.isAlive()) {
      Optional<OwnerRecord> owner = launcher.owner();
      if (owner.isPresent() && owner.get().kind().equals("serve")) {
        Thread.sleep(1000);
        return serve;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("serve did not take the data directory over: " + Files.readString(log));
  }

  private void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  private void report() throws IOException {
    StringBuilder text = new StringBuilder("Resident soak: " + WRITERS + " writers, " + SECONDS + " s\n");
    counts.forEach((k, v) -> text.append(String.format("  %-60s %d%n", k, v)));
    System.out.print(text);
    Path out = Path.of("target", "soak");
    Files.createDirectories(out);
    Files.writeString(out.resolve("resident-soak.txt"), text);
  }
}
