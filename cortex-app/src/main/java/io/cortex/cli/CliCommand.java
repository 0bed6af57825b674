package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.Cortex;
import io.cortex.base.Json;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every CLI command: opens Cortex on the shared state, runs, prints. */
abstract class CliCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** What the command returns when it ran but did not do what was asked (a phase whose gate failed): 1. */
  private int exitCode;

  @Override
  public final Integer call() throws Exception {
    CliContext context = root().context();
    if (this instanceof ReadOnlyCommand reader) {
      Optional<DirectDatabase> direct = DirectDatabase.open(context.config(), context.dataDir());
      if (direct.isPresent()) {
        try (DirectDatabase database = direct.get()) {
          reader.read(new io.cortex.query.CatalogueReads(database), spec.commandLine().getOut());
        }
        return exitCode;
      }
    }
    try (Cortex cortex = open(context)) {
      if (showsProgress()) {
        cortex.addProgressListener(new ProgressBar(spec.commandLine().getErr(), context.stderrIsTerminal(),
            ProgressBar.afterMs(System.getenv())));
      }
      run(cortex.withActor("cli:" + System.getProperty("user.name", "unknown")), spec.commandLine().getOut());
    }
    return exitCode;
  }

  /** Progress goes to stderr unless --quiet, or --json (whose reader wants data only). */
  private boolean showsProgress() {
    picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    return !root().quiet && (parsed == null || !parsed.hasMatchedOption("--json"));
  }

  /** The Cortex this command works on: the shared data directory's. */
  Cortex open(CliContext context) {
    return context.open();
  }

  CortexCli root() {
    return (CortexCli) spec.root().userObject();
  }

  /** The command ran, but what it was asked did not happen; the reason is on stderr, the story on stdout. */
  void notDone(String reason) {
    spec.commandLine().getErr().println("cortex: " + CortexCli.printable(reason));
    exitCode = CliErrors.REFUSED;
  }

  abstract void run(Cortex cortex, PrintWriter out) throws Exception;

  static void printJson(PrintWriter out, Object value) {
    out.println(Json.writePretty(value));
  }
}
