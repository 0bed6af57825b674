package io.cortex.audit;

import io.cortex.base.Json;
import io.cortex.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log in the engine's database ({@code CORTEX_AUDIT}). Entries are written on the
 * connection given, so inside the engine they commit with the action they record.
 */
public final class AuditLog {

  private static final AtomicLong COUNTER = new AtomicLong();

  private final Jdbc jdbc;

  public AuditLog(Connection connection) {
    this.jdbc = new Jdbc(connection);
  }

  public AuditEntry append(AuditAction action, Instant when, String sessionId, String actor,
                           Map<String, Object> details, AuditOutcome outcome) {
    // Sortable ids: time first, then a counter, so entries of the same millisecond keep their order.
    String id = String.format("%013d-%06d-%s", when.toEpochMilli(), COUNTER.incrementAndGet() % 1_000_000,
        UUID.randomUUID().toString().substring(0, 8));
    AuditEntry entry = new AuditEntry(id, action, when, sessionId, actor, details, outcome);
    jdbc.update("INSERT INTO CORTEX_AUDIT (ENTRY_ID_, ACTION_, TIMESTAMP_, SESSION_ID_, ACTOR_, DETAILS_, OUTCOME_)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, action.name(), when.toEpochMilli(), sessionId, actor,
        Json.write(entry.details()), outcome.name());
    return entry;
  }

  /** Entries oldest first; of one session, or of all when {@code sessionId} is null; the newest {@code limit}. */
  public List<AuditEntry> entries(String sessionId, int limit) {
    String where = sessionId == null ? "" : " WHERE SESSION_ID_ = ?";
    Object[] params = sessionId == null ? new Object[] {limit} : new Object[] {sessionId, limit};
    List<AuditEntry> entries = new java.util.ArrayList<>(jdbc.query(
        "SELECT ENTRY_ID_, ACTION_, TIMESTAMP_, SESSION_ID_, ACTOR_, DETAILS_, OUTCOME_ FROM CORTEX_AUDIT" + where
            + " ORDER BY ENTRY_ID_ DESC LIMIT ?", AuditLog::toEntry, params));
    java.util.Collections.reverse(entries);
    return entries;
  }

  private static AuditEntry toEntry(ResultSet rs) throws SQLException {
    return new AuditEntry(rs.getString(1), AuditAction.valueOf(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
        rs.getString(4), rs.getString(5), Json.readObject(rs.getString(6), "Audit entry " + rs.getString(1)),
        AuditOutcome.valueOf(rs.getString(7)));
  }
}
