package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.views.JsonViews;
import io.cortex.rollback.RollbackOutcome;
import io.cortex.rollback.RollbackPreview;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.command.Flags;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = {
    "Roll a session's repository back to a checkpoint; what was on disk is kept in a PRE_ROLLBACK checkpoint.",
    "The command is said in words, in quotes:",
    "  \"rollback to checkpoint dor-1 session feature-auth-001\"",
    "  \"rollback session feature-auth-001 to last green\"",
    "  \"rollback feature-auth-001 to before REFACTOR dry run\"",
    "Uncommitted changes are refused only when no checkpoint holds them (right after a rollback they are kept).",
    "'./cortex undo --session ID' returns to the state before."})
final class RollbackCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "\"COMMAND\"", description = "The rollback command, in quotes.")
  String command;

  @Option(names = "--dry-run", description = "Only show what would change (also: 'dry run' in the command).")
  boolean dryRun;

  @Option(names = "--force", description = "Roll back despite uncommitted changes no checkpoint holds, or a moved HEAD"
      + " (also: 'force'). The PRE_ROLLBACK checkpoint is taken all the same.")
  boolean force;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  boolean json;

  @Override
  void run(Cortex cortex, PrintWriter out) {
    RollbackOutcome outcome = cortex.rollback(command, new Flags(dryRun, force));
    if (json) {
      printJson(out, json(outcome));
    } else if (outcome.dryRun()) {
      printPreview(out, outcome.preview());
    } else {
      printResult(out, outcome.result());
    }
  }

  static void printPreview(PrintWriter out, RollbackPreview p) {
    out.printf("Dry run: rolling back session %s to %s (%s) would change:%n", p.sessionId(), p.target().checkpointId(),
        p.target().shortSnapshot());
    list(out, "modified", p.modified(), "");
    list(out, "restored", p.added(), "");
    list(out, "deleted", p.deleted(), "");
    list(out, "removed", p.untrackedRemoved(), "  (untracked; kept in the PRE_ROLLBACK checkpoint)");
    list(out, "mode", p.permissionsChanged(), "");
    if (p.indexChanges()) {
      out.println("  index     staged content and flags as the checkpoint recorded them");
    }
    if (p.modified().isEmpty() && p.added().isEmpty() && p.deleted().isEmpty() && p.untrackedRemoved().isEmpty()
        && p.permissionsChanged().isEmpty() && !p.indexChanges()) {
      out.println("  nothing: the working tree already equals the checkpoint");
    }
    if (!p.leftAlone().isEmpty()) {
      out.println("Left alone (nested repositories, files over the size cap): " + String.join(", ", p.leftAlone()));
    }
    if (!p.keptIgnored().isEmpty()) {
      out.println("Kept (ignored, never deleted): " + String.join(", ", p.keptIgnored()));
    }
    p.conflicts().forEach(conflict -> out.println("Would stop, nothing changed: " + conflict));
    if (p.safety().safe()) {
      out.println("Safety check: passed");
    } else {
      out.println(p.safety().details());
      if (p.safety().allowsForce()) {
        out.println("(the rollback would be refused; add --force to roll back anyway: a PRE_ROLLBACK checkpoint keeps"
            + " everything first)");
      }
    }
    if (!p.diff().isEmpty()) {
      out.println();
      out.print(p.diff());
    }
    out.println("Nothing was changed.");
  }

  static void printResult(PrintWriter out, RollbackResult r) {
    out.println(r.message());
    out.printf("  %d file%s written, %d deleted%s%n", r.written().size(), r.written().size() == 1 ? "" : "s",
        r.deleted().size(), r.leftAlone().isEmpty() ? "" : ", left alone: " + String.join(", ", r.leftAlone()));
    out.printf("  undo with: ./cortex undo --session %s%n", r.sessionId());
  }

  private static void list(PrintWriter out, String what, List<String> paths, String note) {
    paths.forEach(p -> out.printf("  %-9s %s%s%n", what, p, note));
  }

  static Map<String, Object> json(RollbackOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", JsonViews.command(o.command()));
    m.put("sessionId", o.sessionId());
    m.put("checkpointId", o.checkpointId());
    if (o.dryRun()) {
      m.put("executed", false);
      m.put("preview", JsonViews.preview(o.preview()));
    } else {
      m.putAll(JsonViews.result(o.result()));
    }
    return m;
  }
}
