package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.CatalogueRebuild;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rebuild", description = "Restore the catalogue from the checkpoint refs of a repository.")
final class RebuildCommand extends CliCommand {

  @Option(names = "--repo", paramLabel = "PATH", description = "Repository to read refs from (default: the session's).")
  Path repo;

  @Option(names = "--session", paramLabel = "ID", description = "Only this session.")
  String session;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    if (repo == null && session == null) {
      throw new CortexException("rebuild needs --repo PATH (all sessions in that repository) or --session ID");
    }
    Path repository = repo != null ? repo : cortex.session(session).repository();
    CatalogueRebuild.Report report = cortex.rebuild(repository, session);
    out.printf("Rebuilt %d checkpoint%s of %d session%s from %s%n", report.checkpoints(),
        report.checkpoints() == 1 ? "" : "s", report.sessions().size(), report.sessions().size() == 1 ? "" : "s",
        repository.toAbsolutePath().normalize());
    if (report.keptRows() > 0) {
      out.printf("Kept %d catalogue row%s whose ref is missing or moved (see below)%n", report.keptRows(),
          report.keptRows() == 1 ? "" : "s");
    }
    report.renumbered().forEach(r -> out.println("  renumbered: " + r));
    report.problems().forEach(p -> out.println("  " + p));
    if (!report.problems().isEmpty()) {
      out.printf("%d problem%s reported above; everything else is listed again.%n", report.problems().size(),
          report.problems().size() == 1 ? "" : "s");
    }
  }
}
