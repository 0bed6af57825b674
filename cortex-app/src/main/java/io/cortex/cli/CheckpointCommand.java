package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "checkpoint", description = "Take checkpoints by hand.", subcommands = CheckpointCommand.Create.class)
final class CheckpointCommand {

  @Command(name = "create", description = "Take a USER_REQUESTED checkpoint of the session's repository now.")
  static final class Create extends CliCommand {

    @Option(names = "--session", required = true, paramLabel = "ID")
    String session;

    @Option(names = "--id", paramLabel = "ID", description = "Checkpoint id, e.g. before-risky-refactor (default: user-N).")
    String id;

    @Option(names = "--metric", paramLabel = "NAME=VALUE", description = "A metric stored with the checkpoint (repeatable).")
    List<String> metrics;

    @Option(names = "--json", description = "Print the checkpoint as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      Checkpoint c = cortex.createCheckpoint(session, id, KeyValues.parse(metrics, "--metric"));
      if (json) {
        printJson(out, JsonViews.checkpoint(c));
      } else {
        out.printf("Checkpoint %s (%s) -> %s%n", c.checkpointId(), c.type(), c.shortSnapshot());
        c.skipped().forEach(s -> out.printf("  skipped %s (%s)%n", s.path(), s.reason()));
      }
    }
  }
}
