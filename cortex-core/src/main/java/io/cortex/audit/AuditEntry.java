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

  /** The JSON shape of the CLI's {@code --json} and the REST API: the seed's fields in snake_case. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("entry_id", entryId);
    m.put("action", action.name());
    m.put("timestamp", timestamp.toString());
    m.put("session_id", sessionId);
    m.put("actor", actor);
    m.put("details", details);
    m.put("outcome", outcome.name());
    return m;
  }
}
