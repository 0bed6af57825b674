package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.base.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every CLI command: opens Cortex on the shared state, runs, prints. */
abstract class CliCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    CliContext context = ((CortexCli) spec.root().userObject()).context();
    if (this instanceof ReadOnlyCommand reader) {
      java.util.Optional<DirectDatabase> direct = DirectDatabase.open(context.config(), context.dataDir());
      if (direct.isPresent()) {
        try (DirectDatabase database = direct.get()) {
          reader.read(new io.cortex.query.CatalogueReads(database), spec.commandLine().getOut());
        }
        return 0;
      }
    }
    try (Cortex cortex = context.open()) {
      run(cortex.withActor("cli:" + System.getProperty("user.name", "unknown")), spec.commandLine().getOut());
    }
    return 0;
  }

  abstract void run(Cortex cortex, PrintWriter out) throws Exception;

  static void printJson(PrintWriter out, Object value) {
    out.println(Json.writePretty(value));
  }
}
