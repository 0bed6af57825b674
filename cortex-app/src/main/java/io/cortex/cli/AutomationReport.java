package io.cortex.cli;

import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the workflow did on its own while a command waited — a gate that failed, the recovery that followed, the
 * rollbacks it ran and where the user's work is kept — told from the session's audit entries since the command
 * began, so nothing is reverted without a word.
 */
final class AutomationReport {

  private static final int OUTPUT_LINES = 10;

  private final List<AuditEntry> entries;

  private AutomationReport(List<AuditEntry> entries) {
    this.entries = entries;
  }

  /** The entries of {@code sessionId} written since {@code since} (the audit log's newest, oldest first). */
  static AutomationReport since(io.cortex.query.CatalogueReads reads, String sessionId, Instant since) {
    Instant from = since.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return new AutomationReport(reads.audit(sessionId, 500).stream().filter(e -> !e.timestamp().isBefore(from)).toList());
  }

  /** Whether a recovery ran: the phase then did not complete as asked. */
  boolean recoveryRan() {
    return entries.stream().anyMatch(e -> e.action() == AuditAction.RECOVERY_ATTEMPTED);
  }

  /** The error that started recovery, e.g. "Gate of phase REFACTOR failed: 'mvn -q test' exited with 1 …". */
  String failure() {
    return entries.stream().filter(e -> e.action() == AuditAction.RECOVERY_ATTEMPTED)
        .map(e -> text(e.details().get("errorMessage"))).filter(m -> !m.isEmpty())
        .map(m -> m.lines().findFirst().orElse(m)).findFirst()
        .orElse(entries.stream().filter(e -> e.action() == AuditAction.RECOVERY_ATTEMPTED)
            .map(e -> "phase " + text(e.details().get("phase")) + " failed (" + text(e.details().get("errorCode")) + ")")
            .findFirst().orElse(""));
  }

  List<String> lines(String sessionId) {
    List<String> lines = new ArrayList<>();
    boolean failureTold = false;
    String keptIn = null;
    for (AuditEntry e : entries) {
      Map<String, Object> d = e.details();
      if (e.action() == AuditAction.RECOVERY_ATTEMPTED) {
        if (!failureTold) {
          failureTold = true;
          String message = text(d.get("errorMessage"));
          if (message.isEmpty()) {
            lines.add("Phase " + text(d.get("phase")) + " failed (" + text(d.get("errorCode")) + ").");
          } else {
            List<String> all = message.lines().toList();
            lines.add(all.get(0).endsWith(".") ? all.get(0) : all.get(0) + ".");
            List<String> output = all.subList(1, all.size()).stream().filter(l -> !l.isBlank()).toList();
            if (!output.isEmpty()) {
              lines.add("  last lines of its output:");
              output.subList(Math.max(0, output.size() - OUTPUT_LINES), output.size())
                  .forEach(l -> lines.add("    | " + l));
            }
          }
        }
        String strategy = text(d.get("strategy"));
        String attempt = "Recovery " + strategy + " (attempt " + text(d.get("attempt")) + "): ";
        if (e.outcome() == AuditOutcome.FAILURE) {
          lines.add(attempt + "did not recover: " + text(d.get("reason")) + ".");
        } else if (d.get("restored") != null) {
          lines.add(attempt + "restored checkpoint " + text(d.get("restored")) + " (the last state that passed).");
        } else if (d.get("operatorTarget") != null) {
          lines.add(attempt + "rolled back to " + text(d.get("operatorTarget")) + ", as the operator decided.");
        } else if (d.get("kept") != null) {
          lines.add(attempt + "re-applied the change file by file from " + text(d.get("base")) + ": kept "
              + d.get("kept") + (d.get("breaking") instanceof List<?> b && !b.isEmpty() ? ", left out " + b
              + " (they break the gate)" : "") + ".");
        } else {
          lines.add(attempt + "recovered.");
        }
      } else if (e.action() == AuditAction.ROLLBACK_COMPLETED && d.get("preRollback") != null) {
        keptIn = text(d.get("preRollback"));
      }
    }
    if (keptIn != null) {
      lines.add("Your work as it was is kept in checkpoint " + keptIn + "; to get it back: ./cortex undo --session "
          + sessionId);
    }
    return lines;
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
