package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.workflow.Workflow;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start a workflow (planning, tdd, system-alignment) for a session on a git repository.")
final class StartCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "planning | tdd | system-alignment")
  String workflow;

  @Option(names = "--repo", required = true, paramLabel = "PATH", description = "The git work tree the session works on.")
  Path repo;

  @Option(names = "--session", required = true, paramLabel = "ID", description = "Session id, e.g. feature-auth-001.")
  String session;

  @Option(names = "--json", description = "Print the session status as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    SessionStatus status = cortex.startSession(Workflow.fromName(workflow), session, repo);
    if (json) {
      printJson(out, JsonViews.status(status));
      return;
    }
    Checkpoint start = status.lastCheckpoint();
    out.printf("Started %s session %s on %s%n", Workflow.fromName(workflow).cliName(), session,
        status.session().repository());
    out.printf("Checkpoint %s (%s) -> %s%n", start.checkpointId(), start.type(), start.shortSnapshot());
    out.printf("Waiting in phase: %s%n", String.join(", ", status.activePhases()));
  }
}
