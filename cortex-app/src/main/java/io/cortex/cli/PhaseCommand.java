package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "phase", description = "Work with a session's phases.",
    subcommands = {PhaseCommand.Complete.class, PhaseCommand.Fail.class})
final class PhaseCommand {

  @Command(name = "complete", description = "Complete the active phase; its end takes a PHASE_END checkpoint.")
  static final class Complete extends CliCommand {

    @Option(names = "--session", required = true, paramLabel = "ID")
    String session;

    @Option(names = "--phase", required = true, paramLabel = "NAME", description = "e.g. DoR, GREEN (case-insensitive).")
    String phase;

    @Option(names = "--metric", paramLabel = "NAME=VALUE", description = "A metric stored with the checkpoint (repeatable).")
    List<String> metrics;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A process variable, e.g. anotherCycle=true (repeatable).")
    List<String> variables;

    @Option(names = "--json", description = "Print the new checkpoint as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      int before = cortex.checkpoints(session).size();
      cortex.completePhase(session, phase, KeyValues.parse(metrics, "--metric"), KeyValues.parse(variables, "--var"));
      SessionStatus status = cortex.status(session);
      List<Checkpoint> taken = status.checkpoints().subList(before, status.checkpoints().size());
      if (json) {
        printJson(out, taken.stream().map(CheckpointView::json).toList());
        return;
      }
      taken.forEach(c -> out.printf("Checkpoint %s (%s %s) -> %s%n", c.checkpointId(), c.type(), c.phase(), c.shortSnapshot()));
      out.println(status.running() ? "Waiting in phase: " + String.join(", ", status.activePhases())
          : "Session " + session + " is complete.");
    }
  }

  @Command(name = "fail", description = "Report that the active phase failed: a BPMN error that starts recovery.")
  static final class Fail extends CliCommand {

    @Option(names = "--session", required = true, paramLabel = "ID")
    String session;

    @Option(names = "--phase", required = true, paramLabel = "NAME")
    String phase;

    @Option(names = "--code", defaultValue = "PHASE_FAILED", paramLabel = "CODE",
        description = "BPMN error code, e.g. PHASE_FAILED, VALIDATION_ERROR, STATE_CORRUPTION (default PHASE_FAILED).")
    String code;

    @Option(names = "--message", defaultValue = "", paramLabel = "TEXT", description = "What went wrong.")
    String message;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      int before = cortex.checkpoints(session).size();
      cortex.failPhase(session, phase, code, message);
      SessionStatus status = cortex.status(session);
      out.printf("Phase %s of %s failed (%s); recovery ran.%n", phase, session, code);
      status.checkpoints().subList(before, status.checkpoints().size()).forEach(c ->
          out.printf("Checkpoint %s (%s) -> %s%n", c.checkpointId(), c.type(), c.shortSnapshot()));
      out.println(status.running() ? (status.activePhases().isEmpty()
          ? "Waiting for an operator decision (Tasklist: 'Decide recovery')." : "Waiting in phase: "
          + String.join(", ", status.activePhases())) : "Session " + session + " has ended.");
    }
  }
}
