package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sessions", description = "List the sessions of this data directory: workflow, state, repository, last checkpoint.")
final class SessionsCommand extends CliCommand {

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    List<SessionStatus> sessions = cortex.sessionStatuses();
    if (json) {
      printJson(out, sessions.stream().map(s -> {
        Map<String, Object> m = JsonViews.session(s.session());
        m.put("running", s.running());
        m.put("activePhases", s.activePhases());
        m.put("checkpointCount", s.checkpoints().size());
        m.put("lastCheckpoint", s.lastCheckpoint() == null ? null : JsonViews.checkpoint(s.lastCheckpoint()));
        return m;
      }).toList());
      return;
    }
    if (sessions.isEmpty()) {
      out.println("No sessions yet. Start one: ./cortex start planning|tdd|system-alignment --repo PATH --session ID");
      return;
    }
    String format = "%-24s %-24s %-28s %-22s %s%n";
    out.printf(format, "SESSION", "WORKFLOW", "STATE", "LAST CHECKPOINT", "REPOSITORY");
    for (SessionStatus s : sessions) {
      Checkpoint last = s.lastCheckpoint();
      String origin = JsonViews.origin(s.session());
      out.printf(format, s.session().sessionId(),
          s.session().processDefinitionKey() != null ? s.session().processDefinitionKey() : "(" + origin + ")",
          s.running() ? (s.activePhases().isEmpty() ? "running" : "waiting in " + String.join(", ", s.activePhases()))
              : "ended",
          last == null ? "-" : last.checkpointId() + " " + last.shortSnapshot(), s.session().repository());
    }
  }
}
