package io.cortex.cli;

import io.cortex.Cortex;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", description = "Write a session's checkpoints in the seed's JSON format.")
final class ExportCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--out", paramLabel = "FILE", description = "Default: <repo>/.cortex/phase-checkpoints-<session>.json")
  Path out;

  @Override
  void run(Cortex cortex, PrintWriter stdout) {
    Path file = cortex.export(session, out);
    stdout.printf("Exported %d checkpoints of %s to %s%n", cortex.checkpoints(session).size(), session, file);
  }
}
