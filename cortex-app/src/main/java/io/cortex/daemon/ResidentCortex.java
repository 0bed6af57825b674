package io.cortex.daemon;

import io.cortex.Cortex;
import io.cortex.client.CortexClient;
import io.cortex.client.DaemonAddress;
import io.cortex.config.CortexConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident Cortex of one data directory: the one process that has its database open, serving the thin
 * client's calls over the directory's Unix domain socket with an engine kept warm between them (the Gradle-daemon
 * model). The first CLI call starts it; it ends after {@link #DEFAULT_IDLE_TIMEOUT} without calls
 * ({@code CORTEX_DAEMON_IDLE_TIMEOUT}), on {@code ./cortex daemon stop}, on SIGTERM, or when a client of another
 * build (or {@code ./cortex serve}) asks it to hand over. A server ({@code ./cortex serve}) is a resident owner too:
 * {@link #forServer} serves CLI calls on the server's engine.
 *
 * <pre>{@code
 * int exit = ResidentCortex.run(dataDir, config, idleTimeout, CortexCli::runResident);
 * }</pre>
 */
public final class ResidentCortex {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(3);
  public static final String IDLE_TIMEOUT_ENV = "CORTEX_DAEMON_IDLE_TIMEOUT";
  /** How long a stopping resident process waits for the commands that run to finish. */
  static final Duration DRAIN = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(ResidentCortex.class);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  /** Runs a client's command line on the engine; the CLI provides it ({@code CortexCli.runResident}). */
  @FunctionalInterface
  public interface Commands {
    int run(Call call, ResidentEngine engine, PrintWriter out, PrintWriter err);
  }

  private final Path dataDir;
  private final String build = io.cortex.client.BuildId.current();
  private final Instant started = Instant.now();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile String stopReason = "stopped";

  private ResidentCortex(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  /**
   * Runs the resident process of {@code dataDir} until it stops; returns the exit code: 0, or
   * {@link CortexClient#OWNED_ELSEWHERE} when another process has the directory (a client raced us to start one).
   */
  public static int run(Path dataDir, CortexConfig config, Duration idleTimeout, Commands commands) {
    return new ResidentCortex(dataDir).runResident(config, idleTimeout, commands);
  }

  private int runResident(CortexConfig config, Duration idleTimeout, Commands commands) {
    DataDirectoryOwnership ownership = acquire();
    if (ownership == null) {
      return CortexClient.OWNED_ELSEWHERE;
    }
    ResidentEngine engine = null;
    ResidentServer server = null;
    try (ownership) {
      engine = ResidentEngine.start(dataDir, config, true);
      ResidentEngine resident = engine;
      server = new ResidentServer(DaemonAddress.of(dataDir), handler(resident, commands, true)).start();
      ResidentServer listening = server;
      Thread hook = new Thread(() -> {
        requestStop("SIGTERM");
        try { // the JVM ends when the hooks return: let the main thread close the engine cleanly first
          finished.await(DRAIN.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "cortex-daemon-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      LOG.warn("CORTEX-DAEMON-000 Resident Cortex pid {} serves {} (build {}, stops after {} idle)",
          ProcessHandle.current().pid(), dataDir, build, describe(idleTimeout));
      while (!stop.await(1, TimeUnit.SECONDS)) {
        Duration idle = Duration.between(listening.lastActivity(), Instant.now());
        if (listening.activeCalls() == 0 && idle.compareTo(idleTimeout) >= 0) {
          stopReason = "idle for " + describe(idle);
          break;
        }
        resident.copyIfDue();
      }
      shutDown(server, engine);
      server = null;
      engine = null;
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM shuts down already: the hook found us stopped
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (IOException | RuntimeException e) {
      LOG.error("CORTEX-DAEMON-007 The resident Cortex of {} failed: {}", dataDir, e.getMessage(), e);
      return 1;
    } finally {
      if (server != null || engine != null) {
        shutDown(server, engine);
      }
      finished.countDown();
    }
  }

  /**
   * The directory's ownership, waiting while a previous owner stops (a hand-over, or an idle one ending just as
   * a client came); null at once when another resident process answers on the socket (a client raced us).
   */
  private DataDirectoryOwnership acquire() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      if (serverPending()) {
        LOG.warn("CORTEX-DAEMON-001 Not starting: 'cortex serve' is taking {} over", dataDir);
        return null;
      }
      try {
        return DataDirectoryOwnership.acquire(dataDir, "daemon", Duration.ofSeconds(1));
      } catch (DataDirectoryOwnedException e) {
        java.nio.channels.SocketChannel answering = CortexClient.connect(DaemonAddress.of(dataDir).socket());
        if (answering != null || System.nanoTime() > deadline) {
          closeQuietly(answering);
          LOG.warn("CORTEX-DAEMON-001 Not starting: {}", e.getMessage());
          return null;
        }
      }
    }
  }

  /** A server is taking the directory over ({@code <data>/daemon/serve.pending} names a live process). */
  private boolean serverPending() {
    Path marker = DaemonAddress.of(dataDir).directory().resolve("serve.pending");
    try {
      long pid = Long.parseLong(Files.readString(marker).strip());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void closeQuietly(java.nio.channels.SocketChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // only probed
    }
  }

  private void shutDown(ResidentServer server, ResidentEngine engine) {
    LOG.warn("CORTEX-DAEMON-008 Resident Cortex pid {} of {} stops ({})", ProcessHandle.current().pid(), dataDir,
        stopReason);
    if (server != null) {
      server.close();
      if (!server.awaitCalls(DRAIN)) {
        LOG.warn("CORTEX-DAEMON-009 Commands still ran after {}; the engine closes under them", DRAIN);
      }
    }
    if (engine != null) {
      engine.close();
    }
  }

  private void requestStop(String reason) {
    if (stop.getCount() > 0) {
      stopReason = reason;
      stop.countDown();
    }
  }

  /**
   * The server as the resident owner of its data directory: CLI calls are served on its engine over the same
   * socket. Close the returned server when the server stops.
   */
  public static ResidentServer forServer(Path dataDir, Cortex cortex, Commands commands) throws IOException {
    ResidentCortex owner = new ResidentCortex(dataDir);
    ResidentEngine engine = ResidentEngine.on(cortex, owner.dataDir);
    return new ResidentServer(DaemonAddress.of(owner.dataDir), owner.handler(engine, commands, false)).start();
  }

  private ResidentServer.Handler handler(ResidentEngine engine, Commands commands, boolean daemon) {
    Path log = DaemonAddress.of(dataDir).log();
    return new ResidentServer.Handler() {
      private volatile ResidentServer self;

      @Override
      public int run(Call call, PrintWriter out, PrintWriter err) {
        return commands.run(call, engine, out, err);
      }

      @Override
      public String status() {
        Duration up = Duration.between(started, Instant.now());
        return String.format(Locale.ROOT, "%s pid %d serves %s%n  build     %s%n  up        since %s (%s)%n"
                + "  memory    %s%n  database  %s%n  log       %s%n", daemon ? "Resident Cortex" : "'cortex serve'",
            ProcessHandle.current().pid(), dataDir, build, started, describe(up), memory(),
            engine.wentBack().map(p -> "WENT BACK, writes refused: " + p).orElse("ok"),
            daemon ? log : "the server's output");
      }

      @Override
      public String stopRefusal() {
        return daemon ? null : "The data directory " + dataDir + " is served by 'cortex serve' (pid "
            + ProcessHandle.current().pid() + "); stop it with Ctrl-C where it runs.";
      }

      @Override
      public void stop() {
        requestStop("asked to stop");
      }

      @Override
      public boolean handsOver(String clientBuild) {
        if (daemon && !build.equals(clientBuild)) {
          requestStop("a client of build " + clientBuild + " came; this is build " + build);
          return true;
        }
        return false;
      }
    };
  }

  /** {@code 3h}, {@code 90s}, {@code 10m}, {@code 500ms}, or plain seconds; the default when blank. */
  public static Duration idleTimeout(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_IDLE_TIMEOUT;
    }
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new io.cortex.base.CortexException(IDLE_TIMEOUT_ENV + ": '" + text + "' is not a duration; write e.g. 3h, 30m, 90s");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }

  static String describe(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h " + (s % 3600) / 60 + " min";
  }

  /** Resident set size from /proc (Linux), with the heap in use. */
  static String memory() {
    Runtime rt = Runtime.getRuntime();
    String heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " MiB heap in use";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return "RSS " + kib / 1024 + " MiB, " + heap;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return heap;
  }
}
