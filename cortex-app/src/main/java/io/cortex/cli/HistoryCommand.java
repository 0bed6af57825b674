package io.cortex.cli;

import io.cortex.query.CatalogueReads;
import io.cortex.git.CommitHistory.CommitInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "history", description = "Show the git history of a session's repository (newest first).")
final class HistoryCommand extends ReadOnlyCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = {"-n", "--max-count"}, defaultValue = "20", paramLabel = "N", description = "Commits to show (default 20).")
  int maxCount;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  void read(CatalogueReads reads, PrintWriter out) {
    if (maxCount < 1) {
      throw new io.cortex.base.CortexException("--max-count must be at least 1, got " + maxCount);
    }
    List<CommitInfo> commits = reads.history(session, maxCount);
    if (json) {
      printJson(out, commits);
      return;
    }
    commits.forEach(c -> out.printf("%s %s %s  %s%n", c.shortSha(), c.time(), c.author(), c.subject()));
  }
}
