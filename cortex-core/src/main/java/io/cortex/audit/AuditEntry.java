package io.cortex.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One line of the audit log, with the seed protocol's fields.
 *
 * @param actor who asked: a Camunda user id, {@code cli:<os user>}, {@code engine} for process listeners
 * @param details what the action concerned (checkpoint ids, commits, files, error messages)
 */
public record AuditEntry(String entryId, AuditAction action, Instant timestamp, String sessionId, String actor,
                         Map<String, Object> details, AuditOutcome outcome) {

  public AuditEntry {
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }
}
