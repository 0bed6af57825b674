package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.git.DiffResult;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Show what changed between two checkpoints of a session.")
final class DiffCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Parameters(index = "0", paramLabel = "FROM")
  String from;

  @Parameters(index = "1", paramLabel = "TO")
  String to;

  @Option(names = "--stat", description = "Only the summary, without the patch (also with --json).")
  boolean statOnly;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  boolean writes() {
    return false;
  }

  @Override
  void run(Cortex cortex, PrintWriter out) {
    DiffResult diff = cortex.diff(session, from, to);
    if (json) {
      printJson(out, JsonViews.diff(from, to, diff, !statOnly));
      return;
    }
    out.print(diff.stat());
    if (!statOnly && !diff.patch().isEmpty()) {
      out.println();
      out.print(diff.patch());
    }
  }
}
