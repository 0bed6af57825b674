package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show a session: repository, active phase, last checkpoint.")
final class StatusCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    SessionStatus status = cortex.status(session);
    if (json) {
      printJson(out, json(status));
      return;
    }
    out.printf("Session     %s%n", session);
    out.printf("Workflow    %s%n", status.session().processDefinitionKey() == null ? "-" : status.session().processDefinitionKey());
    out.printf("Repository  %s%n", status.session().repository());
    out.printf("State       %s%n", status.running() ? "running, waiting in " + String.join(", ", status.activePhases()) : "ended");
    Checkpoint last = status.lastCheckpoint();
    out.printf("Checkpoints %d%s%n", status.checkpoints().size(),
        last == null ? "" : ", last: " + last.checkpointId() + " (" + last.type() + ") " + last.shortSnapshot());
  }

  static Map<String, Object> json(SessionStatus status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", status.session().sessionId());
    m.put("workflow", status.session().processDefinitionKey());
    m.put("process_instance_id", status.session().processInstanceId());
    m.put("repository", status.session().repository().toString());
    m.put("running", status.running());
    m.put("active_phases", status.activePhases());
    m.put("checkpoints", status.checkpoints().stream().map(CheckpointView::json).toList());
    return m;
  }
}
