package io.cortex.cli;

import io.cortex.config.CortexConfig;
import io.cortex.daemon.Call;
import io.cortex.daemon.DataDirectoryOwnedException;
import io.cortex.daemon.DataDirectoryOwnership;
import io.cortex.daemon.ResidentEngine;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Who calls a command and from where: the working directory every relative path resolves against, the
 * environment, the user, the terminal, standard input, and where the engine comes from. In-process these are this
 * JVM's; in the resident process they are the client's ({@link Call}).
 */
record Invocation(Path cwd, Map<String, String> environment, String user, boolean stdoutTerminal,
                  boolean stderrTerminal, int columns, InputStream stdin, Engines engines) {

  /** How a command gets its engine, and gives it back. */
  @FunctionalInterface
  interface Engines {
    CliEngine open(CortexConfig config, Path dataDir, boolean writes);
  }

  /** This JVM's own: a call run with {@code --no-daemon}, or by a test. */
  static Invocation inProcess() {
    // Java knows only whether both standard input and output are a terminal; the launcher knows each stream
    String tty = System.getProperty("cortex.tty");
    return new Invocation(Path.of("").toAbsolutePath(), System.getenv(), System.getProperty("user.name", "unknown"),
        tty != null ? tty.contains("out") : isTerminal(1), tty != null ? tty.contains("err") : isTerminal(2),
        Integer.getInteger("cortex.columns", 0), System.in, Invocation::openInProcess);
  }

  /** A client's call in the resident process (or server) that keeps {@code engine} open. */
  static Invocation resident(Call call, ResidentEngine engine) {
    return new Invocation(call.cwd(), call.environment(), call.user(), call.stdoutTerminal(), call.stderrTerminal(),
        call.columns(), call.stdin(), (config, dataDir, writes) -> {
          if (!dataDir.equals(engine.dataDir())) {
            throw new io.cortex.base.CortexException("This resident Cortex serves " + engine.dataDir() + ", not " + dataDir
                + "; run the command with --data " + engine.dataDir() + " or without --data");
          }
          ResidentEngine.Lease lease = engine.lease(config, writes);
          return new CliEngine(lease.cortex(), lease::close);
        });
  }

  /**
   * Opens the database in this process for one call: only when no other process has it open (the resident
   * Cortex, a server, another {@code --no-daemon} call — that one is waited for, as for a repository lock).
   */
  private static CliEngine openInProcess(CortexConfig config, Path dataDir, boolean writes) {
    if (!config.database().embedded()) {
      ResidentEngine engine = ResidentEngine.start(dataDir, config, false);
      return leased(engine, writes, () -> { });
    }
    DataDirectoryOwnership.otherOwner(dataDir).filter(owner -> !owner.kind().equals("cli") && owner.alive())
        .ifPresent(owner -> {
          throw new DataDirectoryOwnedException(dataDir, owner);
        });
    DataDirectoryOwnership ownership = DataDirectoryOwnership.acquire(dataDir, "cli", Duration.ofSeconds(30));
    try {
      ResidentEngine engine = ResidentEngine.start(dataDir, config, false);
      return leased(engine, writes, ownership::close);
    } catch (RuntimeException | Error e) {
      ownership.close();
      throw e;
    }
  }

  private static CliEngine leased(ResidentEngine engine, boolean writes, Runnable then) {
    ResidentEngine.Lease lease;
    try {
      lease = engine.lease(engine.config(), writes);
    } catch (RuntimeException | Error e) {
      engine.close();
      then.run();
      throw e;
    }
    return new CliEngine(lease.cortex(), () -> {
      try {
        lease.close();
      } finally {
        try {
          engine.close();
        } finally {
          then.run();
        }
      }
    });
  }

  /**
   * Whether this process's file descriptor {@code fd} is a terminal. Linux names the file behind each descriptor
   * ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere Java's console, present only when standard input and output
   * are a terminal.
   */
  static boolean isTerminal(int fd) {
    if (java.nio.file.Files.exists(Path.of("/proc/self/fd"))) {
      try {
        String target = java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (java.io.IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
