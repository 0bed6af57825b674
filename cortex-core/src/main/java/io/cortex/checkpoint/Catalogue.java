package io.cortex.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.base.CortexException;
import io.cortex.base.Json;
import io.cortex.db.Jdbc;
import io.cortex.git.SkippedPath;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint catalogue: sessions and checkpoints in the engine's database. Every method
 * works on the connection it is given, so inside the engine it joins the engine's transaction.
 */
public final class Catalogue {

  private static final String CHECKPOINT_COLUMNS = "SESSION_ID_, CHECKPOINT_ID_, SEQ_, TYPE_, PHASE_, PROC_INST_ID_,"
      + " ACT_INST_ID_, BASE_COMMIT_, SNAPSHOT_COMMIT_, BRANCH_, CREATED_AT_, METRICS_, SKIPPED_, HASH_";
  private static final TypeReference<List<SkippedPath>> SKIPPED = new TypeReference<>() { };

  private final Jdbc jdbc;

  public Catalogue(Connection connection) {
    this.jdbc = new Jdbc(connection);
  }

  // --- sessions ---

  public void insertSession(Session session) {
    jdbc.update("INSERT INTO CORTEX_SESSION (SESSION_ID_, PROC_DEF_KEY_, PROC_INST_ID_, REPO_PATH_, CREATED_AT_) VALUES (?, ?, ?, ?, ?)",
        session.sessionId(), session.processDefinitionKey(), session.processInstanceId(),
        session.repository().toString(), session.createdAt().toEpochMilli());
  }

  public Optional<Session> session(String sessionId) {
    return jdbc.queryOne("SELECT SESSION_ID_, PROC_DEF_KEY_, PROC_INST_ID_, REPO_PATH_, CREATED_AT_ FROM CORTEX_SESSION WHERE SESSION_ID_ = ?",
        this::toSession, sessionId);
  }

  public List<Session> sessions() {
    return jdbc.query("SELECT SESSION_ID_, PROC_DEF_KEY_, PROC_INST_ID_, REPO_PATH_, CREATED_AT_ FROM CORTEX_SESSION ORDER BY SESSION_ID_",
        this::toSession);
  }

  public List<Session> sessionsOfRepository(Path repository) {
    return jdbc.query("SELECT SESSION_ID_, PROC_DEF_KEY_, PROC_INST_ID_, REPO_PATH_, CREATED_AT_ FROM CORTEX_SESSION WHERE REPO_PATH_ = ? ORDER BY SESSION_ID_",
        this::toSession, repository.toString());
  }

  /** A resumed session: its new process instance (and the workflow, which a rebuilt or imported session lacks). */
  public void resumeSession(String sessionId, String processDefinitionKey, String processInstanceId) {
    jdbc.update("UPDATE CORTEX_SESSION SET PROC_DEF_KEY_ = ?, PROC_INST_ID_ = ? WHERE SESSION_ID_ = ?",
        processDefinitionKey, processInstanceId, sessionId);
  }

  /** Deletes a session's row and its checkpoints' rows (not its refs, not its audit entries). */
  public void deleteSession(String sessionId) {
    deleteCheckpoints(sessionId);
    jdbc.update("DELETE FROM CORTEX_SESSION WHERE SESSION_ID_ = ?", sessionId);
  }

  // --- checkpoints ---

  public void insert(Checkpoint c) {
    jdbc.update("INSERT INTO CORTEX_CHECKPOINT (" + CHECKPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.sessionId(), c.checkpointId(), c.sequence(), c.type().name(), c.phase(), c.processInstanceId(),
        c.activityInstanceId(), c.baseCommit(), c.snapshotCommit(), c.branch(), c.createdAt().toEpochMilli(),
        Json.write(c.metrics()), Json.write(c.skipped()), c.integrityHash());
  }

  /** The session's checkpoints, oldest first. */
  public List<Checkpoint> checkpoints(String sessionId) {
    return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ? ORDER BY SEQ_",
        this::toCheckpoint, sessionId);
  }

  public Optional<Checkpoint> checkpoint(String sessionId, String checkpointId) {
    return jdbc.queryOne("SELECT " + CHECKPOINT_COLUMNS + " FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ? AND CHECKPOINT_ID_ = ?",
        this::toCheckpoint, sessionId, checkpointId);
  }

  /** The checkpoint a given activity instance already produced, if any (retried phase ends). */
  public Optional<Checkpoint> checkpointOfActivityInstance(String sessionId, String activityInstanceId, CheckpointType type) {
    return jdbc.queryOne("SELECT " + CHECKPOINT_COLUMNS + " FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ? AND ACT_INST_ID_ = ? AND TYPE_ = ?",
        this::toCheckpoint, sessionId, activityInstanceId, type.name());
  }

  /**
   * One above the rows' highest sequence number. Rows alone: a new checkpoint's number also stays clear of the refs
   * without rows ({@link UnlistedRefs}).
   */
  public long nextSequence(String sessionId) {
    return jdbc.queryOne("SELECT COALESCE(MAX(SEQ_), 0) + 1 FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ?",
        rs -> rs.getLong(1), sessionId).orElse(1L);
  }

  public void deleteCheckpoints(String sessionId) {
    jdbc.update("DELETE FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ?", sessionId);
  }

  /** Deletes one checkpoint's row (not its ref); false when there was none. */
  public boolean deleteCheckpoint(String sessionId, String checkpointId) {
    return jdbc.update("DELETE FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = ? AND CHECKPOINT_ID_ = ?",
        sessionId, checkpointId) > 0;
  }

  // --- plumbing ---

  private Session toSession(ResultSet rs) throws SQLException {
    return new Session(rs.getString(1), rs.getString(2), rs.getString(3), Path.of(rs.getString(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }

  private Checkpoint toCheckpoint(ResultSet rs) throws SQLException {
    String sessionId = rs.getString(1);
    String checkpointId = rs.getString(2);
    String what = "Catalogue row " + sessionId + "/" + checkpointId;
    Map<String, Object> metrics = rs.getString(12) == null ? Map.of() : Json.readObject(rs.getString(12), what + " metrics");
    List<SkippedPath> skipped;
    try {
      skipped = rs.getString(13) == null ? List.of() : Json.MAPPER.readValue(rs.getString(13), SKIPPED);
    } catch (Exception e) {
      throw new CortexException(what + " has unreadable skipped paths: " + e.getMessage(), e);
    }
    return new Checkpoint(sessionId, checkpointId, rs.getLong(3), CheckpointType.valueOf(rs.getString(4)),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
        Instant.ofEpochMilli(rs.getLong(11)), metrics, skipped, rs.getString(14));
  }
}
