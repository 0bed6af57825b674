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

  @Override
  public final Integer call() throws Exception {
    CliContext context = context();
    try (CliEngine engine = context.open(writes())) {
      run(engine.cortex().withActor("cli:" + context.user()), spec.commandLine().getOut());
    }
    return 0;
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
