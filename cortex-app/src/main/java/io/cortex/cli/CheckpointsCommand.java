package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "checkpoints", description = "List a session's checkpoints, oldest first.")
final class CheckpointsCommand extends ReadOnlyCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  void read(CatalogueReads reads, PrintWriter out) {
    List<Checkpoint> checkpoints = reads.checkpoints(session);
    if (json) {
      printJson(out, JsonViews.checkpoints(checkpoints));
    } else {
      out.print(CheckpointView.table(checkpoints));
    }
  }
}
