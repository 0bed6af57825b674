package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.session.SessionDeletion;
import io.cortex.views.JsonViews;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "session", description = "Delete or resume one session.",
    subcommands = {SessionCommand.Delete.class, SessionCommand.Resume.class})
final class SessionCommand {

  @Command(name = "delete", description = {
      "Delete a session: its catalogue rows and its refs under refs/cortex/checkpoints/ID/ (the audit log keeps its"
          + " entries and records the deletion). The repository's files, branches and commits are not touched.",
      "A running session is refused unless --force, which cancels its process instance too."})
  static final class Delete extends CliCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String session;

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Option(names = "--force", description = "Also delete a running session, cancelling its process instance.")
    boolean force;

    @Option(names = "--json", description = "Print what was (or would be) deleted as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      SessionDeletion d = cortex.deleteSession(session, dryRun, force);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", d.sessionId());
        m.put("dryRun", d.dryRun());
        m.put("repository", d.repository().toString());
        m.put("checkpoints", d.checkpointIds());
        m.put("refs", d.refs());
        m.put("cancelledProcessInstance", d.cancelledProcessInstance());
        m.put("notes", d.notes());
        printJson(out, m);
        return;
      }
      out.printf("%s session %s of %s:%n", d.dryRun() ? "Would delete" : "Deleted", d.sessionId(), d.repository());
      out.printf("  %d checkpoint row%s: %s%n", d.checkpointIds().size(), d.checkpointIds().size() == 1 ? "" : "s",
          d.checkpointIds().isEmpty() ? "-" : String.join(", ", d.checkpointIds()));
      out.printf("  %d ref%s under refs/cortex/checkpoints/%s/%n", d.refs().size(), d.refs().size() == 1 ? "" : "s",
          d.sessionId());
      if (d.cancelledProcessInstance() != null) {
        out.printf("  process instance %s %s%n", d.cancelledProcessInstance(), d.dryRun() ? "would be cancelled" : "cancelled");
      }
      d.notes().forEach(n -> out.println("  note: " + n));
      out.println(d.dryRun() ? "Nothing was deleted (dry run)." : "The repository's files, branches and commits were not touched.");
    }
  }

  @Command(name = "resume", description = {
      "Continue a session that has ended (finished by mistake, aborted, imported or rebuilt) in a new process instance,"
          + " from its last checkpoint: the repository is not touched, and a checkpoint resumed-N records where it"
          + " picked up.",
      "It waits in the phase after the last one that ended (TDD: a new RED after REFACTOR), or in --phase."})
  static final class Resume extends CliCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The session id.")
    String session;

    @Option(names = "--phase", paramLabel = "NAME", description = "The phase to wait in, e.g. GREEN.")
    String phase;

    @Option(names = "--workflow", paramLabel = "WORKFLOW",
        description = "planning | tdd | system-alignment | a process key; needed for an imported or rebuilt session.")
    String workflow;

    @Option(names = "--json", description = "Print the session status as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      SessionStatus status = cortex.resumeSession(session, phase, workflow);
      if (json) {
        printJson(out, JsonViews.status(status));
        return;
      }
      Checkpoint last = status.lastCheckpoint();
      out.printf("Resumed session %s (%s) in process instance %s%n", session, status.session().processDefinitionKey(),
          status.session().processInstanceId());
      out.printf("Checkpoint %s (%s) -> %s%n", last.checkpointId(), last.type(), last.shortSnapshot());
      out.printf("Waiting in phase: %s%n", String.join(", ", status.activePhases()));
    }
  }
}
