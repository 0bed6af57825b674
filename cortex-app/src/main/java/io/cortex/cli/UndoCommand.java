package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.rollback.RollbackResult;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "undo", description = "Return to the state before the last rollback (or undo); itself undoable.")
final class UndoCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--force", description = "Undo even if the safety check refuses.")
  boolean force;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    RollbackResult result = cortex.undo(session, force);
    if (json) {
      printJson(out, JsonViews.result(result));
    } else {
      RollbackCommand.printResult(out, result);
    }
  }
}
