package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.base.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every CLI command: gets the engine of the data directory (resident or its own), runs, prints. */
abstract class CliCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** What the command returns when it ran but did not do what was asked (a phase whose gate failed): 1. */
  private int exitCode;

  @Override
  public final Integer call() throws Exception {
    CliContext context = context();
    try (CliEngine engine = open(context)) {
      Cortex cortex = engine.cortex();
      io.cortex.progress.ProgressListener progress = showsProgress() ? forThisCall(new ProgressBar(
          spec.commandLine().getErr(), context.stderrIsTerminal(), ProgressBar.afterMs(context.environment()))) : null;
      if (progress != null) {
        cortex.addProgressListener(progress);
      }
      try {
        run(cortex.withActor("cli:" + context.user()), spec.commandLine().getOut());
      } finally {
        if (progress != null) {
          cortex.removeProgressListener(progress);
        }
      }
    }
    return exitCode;
  }

  /** Progress goes to stderr unless --quiet, or --json (whose reader wants data only). */
  private boolean showsProgress() {
    picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    return !root().quiet && (parsed == null || !parsed.hasMatchedOption("--json"));
  }

  /** The engine this command works on: the data directory's (the resident Cortex's, or this process's own). */
  CliEngine open(CliContext context) {
    return context.open(writes());
  }

  /**
   * Only the events of this call's own thread: the resident Cortex runs other callers' commands at the same time, on
   * the same engine, and their progress is theirs.
   */
  private static io.cortex.progress.ProgressListener forThisCall(io.cortex.progress.ProgressListener listener) {
    Thread caller = Thread.currentThread();
    return event -> {
      if (Thread.currentThread() == caller) {
        listener.onProgress(event);
      }
    };
  }

  CortexCli root() {
    return (CortexCli) spec.root().userObject();
  }

  /** The command ran, but what it was asked did not happen; the reason is on stderr, the story on stdout. */
  void notDone(String reason) {
    spec.commandLine().getErr().println("cortex: " + CortexCli.printable(reason));
    exitCode = CliErrors.REFUSED;
  }

  /** This call's context: data directory, configuration, and the caller's directory, terminal and streams. */
  CliContext context() {
    return ((CortexCli) spec.root().userObject()).context();
  }

  /** Whether the command may write (refused on a database that went back; the high-water mark follows it). */
  boolean writes() {
    return true;
  }

  abstract void run(Cortex cortex, PrintWriter out) throws Exception;

  static void printJson(PrintWriter out, Object value) {
    out.println(Json.writePretty(value));
  }
}
