package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.SessionStatus;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.text.EditDistance;
import io.cortex.views.JsonViews;
import io.cortex.workflow.Workflow;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "phase", description = "Work with a session's phases.",
    subcommands = {PhaseCommand.Complete.class, PhaseCommand.Fail.class})
final class PhaseCommand {

  @Command(name = "complete", description = {
      "Complete the active phase; its end takes a PHASE_END checkpoint, then its gate (if configured) runs.",
      "If the gate fails, recovery rolls the repository back: the command says what it restored, where your work is"
          + " kept and how to undo it, and exits 1.",
      "TDD's REFACTOR needs a choice: --next-cycle (another RED-GREEN-REFACTOR) or --finish (end the session)."})
  static final class Complete extends CliCommand {

    @Option(names = "--session", required = true, paramLabel = "ID")
    String session;

    @Option(names = "--phase", required = true, paramLabel = "NAME", description = "e.g. DoR, GREEN (case-insensitive).")
    String phase;

    @Option(names = "--metric", paramLabel = "NAME=VALUE", description = "A metric stored with the checkpoint (repeatable).")
    List<String> metrics;

    @ArgGroup(exclusive = true)
    Cycle cycle;

    static final class Cycle {
      @Option(names = "--next-cycle", required = true, description = "TDD, REFACTOR: go round again, to RED.")
      boolean next;

      @Option(names = "--finish", required = true, description = "TDD, REFACTOR: end the session.")
      boolean finish;
    }

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = {"A process variable (repeatable). Cortex's"
        + " workflows accept recoveryStrategy=IMMEDIATE|PROGRESSIVE|DECOMPOSE (and TDD anotherCycle=true|false, better"
        + " said with --next-cycle/--finish); other names are refused there as typos."})
    List<String> variables;

    @Option(names = "--json", description = "Print the new checkpoints, the session's state and any recovery as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      SessionStatus before = cortex.status(session);
      Map<String, Object> vars = variables(before, phase, KeyValues.parse(variables, "--var"), cycle);
      Instant started = Instant.now();
      cortex.completePhase(session, phase, KeyValues.parse(metrics, "--metric"), vars);
      AutomationReport automation = report(cortex, out, before, started, json);
      if (automation.recoveryRan()) {
        notDone("Phase " + phase + " of session " + session + " did not complete: " + automation.failure()
            + ". Recovery rolled the repository back; see above.");
      }
    }

    /** Checks {@code --var} names against a shipped workflow and turns the cycle choice into its variable. */
    static Map<String, Object> variables(SessionStatus status, String phase, Map<String, Object> given, Cycle cycle) {
      Map<String, Object> vars = new LinkedHashMap<>(given);
      Workflow workflow = Workflow.ofProcessKey(status.session().processDefinitionKey()).orElse(null);
      if (workflow == null) {
        if (cycle != null) {
          throw new CortexException("--next-cycle and --finish belong to TDD's REFACTOR; session "
              + status.session().sessionId() + " runs " + status.session().processDefinitionKey()
              + ". Set your own process's variables with --var.");
        }
        return vars; // a designer's own process: its variables are its own business
      }
      for (String name : vars.keySet()) {
        if (!workflow.settableVariables().contains(name)) {
          String closest = workflow.settableVariables().stream()
              .min(Comparator.comparingInt(v -> EditDistance.between(v.toLowerCase(), name.toLowerCase()))).orElseThrow();
          throw new CortexException("Unknown variable '" + name + "' for the " + workflow.cliName() + " workflow: it"
              + " would be ignored. Did you mean " + closest + "? Variables it reads: "
              + String.join(", ", workflow.settableVariables()) + ".");
        }
      }
      boolean cyclePhase = phase.equalsIgnoreCase(workflow.cyclePhase());
      if (cycle != null && !cyclePhase) {
        throw new CortexException("--next-cycle and --finish decide what follows " + (workflow.cyclePhase() == null
            ? "TDD's REFACTOR; session " + status.session().sessionId() + " runs the " + workflow.cliName() + " workflow."
            : workflow.cyclePhase() + ", not " + phase + "."));
      }
      if (cyclePhase) {
        Object decided = vars.get(Workflow.ANOTHER_CYCLE);
        if (cycle != null && decided != null) {
          throw new CortexException("Say it once: --next-cycle/--finish or --var " + Workflow.ANOTHER_CYCLE + "=…, not both.");
        }
        if (cycle != null) {
          vars.put(Workflow.ANOTHER_CYCLE, cycle.next);
        } else if (!(decided instanceof Boolean)) {
          throw new CortexException("Completing " + workflow.cyclePhase() + " of session " + status.session().sessionId()
              + " needs a choice: add --next-cycle (another RED-GREEN-REFACTOR cycle) or --finish (end the session)"
              + (decided == null ? "." : "; " + Workflow.ANOTHER_CYCLE + "=" + decided + " is neither true nor false."));
        }
      }
      return vars;
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

    @Option(names = "--json", description = "Print the new checkpoints, the session's state and the recovery as JSON.")
    boolean json;

    @Override
    void run(Cortex cortex, PrintWriter out) {
      SessionStatus before = cortex.status(session);
      Instant started = Instant.now();
      cortex.failPhase(session, phase, code, message);
      report(cortex, out, before, started, json);
    }
  }

  /** New checkpoints, what automation did, and where the session waits now. */
  private static AutomationReport report(Cortex cortex, PrintWriter out, SessionStatus before, Instant started,
                                         boolean json) {
    String session = before.session().sessionId();
    SessionStatus status = cortex.status(session);
    List<Checkpoint> taken = status.checkpoints().subList(Math.min(before.checkpoints().size(),
        status.checkpoints().size()), status.checkpoints().size());
    AutomationReport automation = AutomationReport.since(cortex.reads(), session, started);
    List<String> story = automation.lines(session);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sessionId", session);
      m.put("checkpoints", JsonViews.checkpoints(taken));
      m.put("recovered", automation.recoveryRan());
      m.put("automation", story);
      m.put("running", status.running());
      m.put("activePhases", status.activePhases());
      m.put("next", StatusCommand.next(status));
      CliCommand.printJson(out, m);
    } else {
      taken.forEach(c -> out.printf("Checkpoint %s (%s%s) -> %s%n", c.checkpointId(), c.type(),
          c.phase() == null ? "" : " " + c.phase(), c.shortSnapshot()));
      story.forEach(out::println);
      out.println(status.running() ? (status.activePhases().isEmpty()
          ? "Waiting for an operator decision (Tasklist: 'Decide recovery')." : "Waiting in phase: "
          + String.join(", ", status.activePhases())) : "Session " + session + " is complete.");
    }
    return automation;
  }
}
