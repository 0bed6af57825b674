package io.cortex.cli;

import io.cortex.Cortex;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Import checkpoints from a seed JSON file (all or nothing; re-importing is harmless).")
final class ImportCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--repo", paramLabel = "PATH", description = "The repository, if the session is not known here yet.")
  Path repo;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    int imported = cortex.importCheckpoints(file, repo);
    out.printf("Imported %d checkpoint%s from %s%n", imported, imported == 1 ? "" : "s", file);
  }
}
