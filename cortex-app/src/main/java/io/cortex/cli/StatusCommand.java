package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.views.JsonViews;
import io.cortex.workflow.Workflow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show a session: workflow, repository, state, last checkpoint and what to do next.")
final class StatusCommand extends CliCommand {

  @Option(names = "--session", required = true, paramLabel = "ID")
  String session;

  @Option(names = "--json", description = "Print as JSON (with 'next': the commands that move the session on).")
  boolean json;

  @Override
  boolean writes() {
    return false;
  }

  @Override
  void run(Cortex cortex, PrintWriter out) {
    SessionStatus status = cortex.status(session);
    List<String> next = next(status);
    if (json) {
      Map<String, Object> m = JsonViews.status(status);
      m.put("next", next);
      printJson(out, m);
      return;
    }
    out.printf("Session     %s%n", session);
    out.printf("Workflow    %s%s%n", status.session().processDefinitionKey() == null ? "-"
        : status.session().processDefinitionKey(), originNote(status));
    out.printf("Repository  %s%n", status.session().repository());
    out.printf("State       %s%n", status.running() ? (status.activePhases().isEmpty()
        ? "running, verifying or recovering (no phase waits for you)" : "running, waiting in "
        + String.join(", ", status.activePhases())) : "ended");
    Checkpoint last = status.lastCheckpoint();
    out.printf("Checkpoints %d%s%n", status.checkpoints().size(),
        last == null ? "" : ", last: " + last.checkpointId() + " (" + last.type() + ") " + last.shortSnapshot());
    if (!next.isEmpty()) {
      out.println("Next");
      next.forEach(n -> out.println("  " + n));
    }
  }

  private static String originNote(SessionStatus status) {
    String origin = JsonViews.origin(status.session());
    return origin.equals("workflow") ? "" : " (" + origin + ": no workflow known here)";
  }

  /** The commands that move the session on from where it stands. */
  static List<String> next(SessionStatus status) {
    String id = status.session().sessionId();
    List<String> next = new ArrayList<>();
    if (!status.running()) {
      next.add("./cortex session resume " + id + (status.session().processDefinitionKey() == null
          ? " --workflow WORKFLOW" : "") + "   (continue from its last checkpoint in a new process instance)");
      return next;
    }
    Workflow workflow = Workflow.ofProcessKey(status.session().processDefinitionKey()).orElse(null);
    for (String phase : status.activePhases()) {
      String complete = "./cortex phase complete --session " + id + " --phase " + phase;
      if (workflow != null && phase.equalsIgnoreCase(workflow.cyclePhase())) {
        next.add(complete + " --next-cycle   (another RED-GREEN-REFACTOR cycle)");
        next.add(complete + " --finish       (end the session)");
      } else {
        next.add(complete);
      }
    }
    return next;
  }
}
