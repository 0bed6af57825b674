package io.cortex.intent;

import io.cortex.base.Json;
import io.cortex.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The intent records in the engine's database ({@code CORTEX_INTENT}), on the connection given: an intent
 * commits with the transaction that writes it (a rollback's, with its PRE_ROLLBACK checkpoint).
 */
public final class IntentLog {

  private static final String COLUMNS =
      "INTENT_ID_, OPERATION_, STATE_, REPO_PATH_, SESSION_ID_, OWNER_, CREATED_AT_, DETAILS_";

  private final Jdbc jdbc;

  public IntentLog(Connection connection) {
    this.jdbc = new Jdbc(connection);
  }

  /** Records a {@link IntentState#PENDING} intent of this process and thread. */
  public Intent begin(IntentOperation operation, String repositoryKey, String sessionId, Instant now,
                      Map<String, Object> details) {
    Intent intent = new Intent(UUID.randomUUID().toString(), operation, IntentState.PENDING, repositoryKey, sessionId,
        io.cortex.lock.RepositoryLocks.processName() + " " + Thread.currentThread().getName(), now, details);
    jdbc.update("INSERT INTO CORTEX_INTENT (" + COLUMNS + ", FINISHED_AT_) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        intent.intentId(), operation.name(), IntentState.PENDING.name(), repositoryKey, sessionId, intent.owner(),
        now.toEpochMilli(), Json.write(intent.details()));
    return intent;
  }

  /** Marks a pending intent finished; false when it was not pending any more (someone else finished it). */
  public boolean finish(String intentId, IntentState state, Instant now) {
    if (state == IntentState.PENDING) {
      throw new IllegalArgumentException("an intent finishes COMPLETED or FAILED");
    }
    return jdbc.update("UPDATE CORTEX_INTENT SET STATE_ = ?, FINISHED_AT_ = ? WHERE INTENT_ID_ = ? AND STATE_ = ?",
        state.name(), now.toEpochMilli(), intentId, IntentState.PENDING.name()) == 1;
  }

  /** The pending intents of one repository, oldest first. */
  public List<Intent> pending(String repositoryKey) {
    return jdbc.query("SELECT " + COLUMNS + " FROM CORTEX_INTENT WHERE STATE_ = ? AND REPO_PATH_ = ? ORDER BY CREATED_AT_",
        IntentLog::toIntent, IntentState.PENDING.name(), repositoryKey);
  }

  /** Every pending intent, oldest first. */
  public List<Intent> pending() {
    return jdbc.query("SELECT " + COLUMNS + " FROM CORTEX_INTENT WHERE STATE_ = ? ORDER BY CREATED_AT_",
        IntentLog::toIntent, IntentState.PENDING.name());
  }

  /** One intent, in whatever state. */
  public java.util.Optional<Intent> find(String intentId) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM CORTEX_INTENT WHERE INTENT_ID_ = ?", IntentLog::toIntent, intentId);
  }

  private static Intent toIntent(ResultSet rs) throws SQLException {
    return new Intent(rs.getString(1), IntentOperation.valueOf(rs.getString(2)), IntentState.valueOf(rs.getString(3)),
        rs.getString(4), rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
        Json.readObject(rs.getString(8), "Intent " + rs.getString(1)));
  }
}
