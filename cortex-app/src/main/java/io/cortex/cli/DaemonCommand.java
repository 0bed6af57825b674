package io.cortex.cli;

import io.cortex.client.CortexClient;
import io.cortex.daemon.ResidentCortex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cortex daemon status|stop}: the resident Cortex of the data directory. The launcher answers these in
 * the thin client; here they serve {@code --no-daemon} and tests the same way. {@code daemon run} is the resident
 * process itself, which the first CLI call starts.
 */
@Command(name = "daemon", description = {
    "The resident Cortex of the data directory: one background process that has its database open and runs every"
        + " CLI call with a warm engine. The first command starts it; it stops after "
        + "$CORTEX_DAEMON_IDLE_TIMEOUT without calls (default 3h). Its log: <data>/daemon/daemon.log."},
    subcommands = {DaemonCommand.Status.class, DaemonCommand.Stop.class, DaemonCommand.Run.class})
final class DaemonCommand {

  @Command(name = "status", description = "Show the resident Cortex of the data directory: pid, uptime, memory, log.")
  static final class Status extends Control {
    @Override
    String verb() {
      return "status";
    }
  }

  @Command(name = "stop", description = "Stop the resident Cortex of the data directory (after the commands it runs)."
      + " The next command starts a new one.")
  static final class Stop extends Control {
    @Override
    String verb() {
      return "stop";
    }
  }

  /** Status and stop go through the same client code the launcher runs. */
  abstract static class Control implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    abstract String verb();

    @Override
    public Integer call() throws IOException {
      CortexCli root = (CortexCli) spec.root().userObject();
      CliContext context = root.context();
      CortexClient client = new CortexClient(CliContext.home(), io.cortex.client.BuildId.current(),
          root.invocation().cwd(), root.invocation().environment(), writing(spec.commandLine().getOut()),
          writing(spec.commandLine().getErr()));
      return client.call(new String[] {"--data", context.dataDir().toString(), "daemon", verb()});
    }
  }

  @Command(name = "run", hidden = true, description = "Be the resident Cortex of the data directory (started by the CLI).")
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
        description = "Stop after this long without calls, e.g. 30m, 3h (default: $CORTEX_DAEMON_IDLE_TIMEOUT, else 3h).")
    String idleTimeout;

    @Override
    public Integer call() {
      CortexCli root = (CortexCli) spec.root().userObject();
      CliContext context = root.context();
      String idle = idleTimeout != null ? idleTimeout : context.environment().get(ResidentCortex.IDLE_TIMEOUT_ENV);
      return ResidentCortex.run(context.dataDir(), context.config(), ResidentCortex.idleTimeout(idle),
          CortexCli::runResident);
    }
  }

  private static OutputStream writing(PrintWriter writer) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        writer.write(b);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
      }

      @Override
      public void flush() {
        writer.flush();
      }
    };
  }

  private DaemonCommand() {
  }
}
