package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.checkpoint.SeedFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the export file into the data directory unless told otherwise: a file Cortex put into the user's working
 * tree uncalled would show up as an untracked change, which a rollback would then remove.
 */
@Command(name = "export", description = {
    "Write a session's checkpoints as phase-checkpoints-<session>.json (session_id, created_at, checkpoints[...]).",
    "By default into <data dir>/exports/, outside the repository; --out puts it anywhere (also inside the repository,"
        + " where it is then an untracked file like any other)."})
final class ExportCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--out", paramLabel = "FILE", description = "Default: <data dir>/exports/phase-checkpoints-<session>.json")
  Path out;

  @Option(names = "--json", description = "Print {sessionId, file, checkpoints} as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter stdout) {
    Path target = out != null ? out : root().context().dataDir().resolve("exports").resolve(SeedFile.fileName(session));
    Path file = cortex.export(session, target).toAbsolutePath().normalize();
    int count = cortex.checkpoints(session).size();
    if (json) {
      printJson(stdout, Map.of("sessionId", session, "file", file.toString(), "checkpoints", count));
    } else {
      stdout.printf("Exported %d checkpoints of %s to %s%n", count, session, file);
    }
  }
}
