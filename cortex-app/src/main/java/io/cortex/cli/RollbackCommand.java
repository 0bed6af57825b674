package io.cortex.cli;

import io.cortex.Cortex;
import io.cortex.base.Json;
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
    "Roll a session's repository back to a checkpoint, described in words:",
    "  \"rollback to checkpoint dor-1 session feature-auth-001\"",
    "  \"rollback session feature-auth-001 to last green\"",
    "  \"rollback feature-auth-001 to before REFACTOR dry run\"",
    "A PRE_ROLLBACK checkpoint is always taken first; 'cortex undo' returns to it."})
final class RollbackCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "\"COMMAND\"", description = "The rollback command, in quotes.")
  String command;

  @Option(names = "--dry-run", description = "Only show what would change (also: 'dry run' in the command).")
  boolean dryRun;

  @Option(names = "--force", description = "Roll back despite uncommitted changes or a moved HEAD (also: 'force').")
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
    list(out, "modified", p.modified());
    list(out, "restored", p.added());
    list(out, "deleted", p.deleted());
    list(out, "untracked, removed (kept in the PRE_ROLLBACK checkpoint)", p.untrackedRemoved());
    p.permissionsChanged().forEach(f -> out.printf("  %-9s %s%n", "mode", f));
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
    p.conflicts().forEach(c -> out.println("Would stop, nothing changed: " + c));
    out.println(p.safety().safe() ? "Safety check: passed" : "Safety check: " + p.safety().details());
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
    out.printf("  undo with: cortex undo --session %s%n", r.sessionId());
  }

  private static void list(PrintWriter out, String what, List<String> paths) {
    paths.forEach(p -> out.printf("  %-9s %s%n", what.startsWith("untracked") ? "removed" : what, p
        + (what.startsWith("untracked") ? "  (untracked)" : "")));
  }

  static Map<String, Object> json(RollbackOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>(o.command().toSeedMap());
    m.put("session_id", o.sessionId());
    m.put("checkpoint_id", o.checkpointId());
    if (o.dryRun()) {
      RollbackPreview p = o.preview();
      m.put("executed", false);
      m.put("safety", Map.of("safe", p.safety().safe(), "warning", String.valueOf(p.safety().warning()),
          "details", String.valueOf(p.safety().details())));
      m.put("modified", p.modified());
      m.put("added", p.added());
      m.put("deleted", p.deleted());
      m.put("untracked_removed", p.untrackedRemoved());
      m.put("permissions_changed", p.permissionsChanged());
      m.put("index_changes", p.indexChanges());
      m.put("left_alone", p.leftAlone());
      m.put("kept_ignored", p.keptIgnored());
      m.put("conflicts", p.conflicts());
      m.put("preview", p.diff());
    } else {
      m.putAll(resultJson(o.result()));
    }
    return m;
  }

  static Map<String, Object> resultJson(RollbackResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executed", true);
    m.put("message", r.message());
    m.put("pre_rollback_checkpoint_id", r.preRollback().checkpointId());
    m.put("files_written", r.written());
    m.put("files_deleted", r.deleted());
    m.put("left_alone", r.leftAlone());
    return m;
  }

}
