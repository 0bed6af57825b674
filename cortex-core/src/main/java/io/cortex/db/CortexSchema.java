package io.cortex.db;

import io.cortex.base.CortexException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates Cortex's tables (catalogue, audit log, repository locks and intents) in the engine's database when the engine starts. The SQL is
 * the common subset of H2 and PostgreSQL; every statement is idempotent.
 */
public final class CortexSchema {

  private static final List<String> DDL = List.of(
      """
      CREATE TABLE IF NOT EXISTS CORTEX_SESSION (
        SESSION_ID_ VARCHAR(100) NOT NULL PRIMARY KEY,
        PROC_DEF_KEY_ VARCHAR(255),
        PROC_INST_ID_ VARCHAR(64),
        REPO_PATH_ VARCHAR(4000) NOT NULL,
        CREATED_AT_ BIGINT NOT NULL
      )""",
      """
      CREATE TABLE IF NOT EXISTS CORTEX_CHECKPOINT (
        SESSION_ID_ VARCHAR(100) NOT NULL,
        CHECKPOINT_ID_ VARCHAR(100) NOT NULL,
        SEQ_ BIGINT NOT NULL,
        TYPE_ VARCHAR(32) NOT NULL,
        PHASE_ VARCHAR(100),
        PROC_INST_ID_ VARCHAR(64),
        ACT_INST_ID_ VARCHAR(64),
        BASE_COMMIT_ VARCHAR(64),
        SNAPSHOT_COMMIT_ VARCHAR(64) NOT NULL,
        BRANCH_ VARCHAR(255),
        CREATED_AT_ BIGINT NOT NULL,
        METRICS_ VARCHAR,
        SKIPPED_ VARCHAR,
        HASH_ VARCHAR(64) NOT NULL,
        PRIMARY KEY (SESSION_ID_, CHECKPOINT_ID_)
      )""",
      "CREATE UNIQUE INDEX IF NOT EXISTS CORTEX_IDX_CP_SEQ ON CORTEX_CHECKPOINT (SESSION_ID_, SEQ_)",
      "CREATE INDEX IF NOT EXISTS CORTEX_IDX_CP_ACT ON CORTEX_CHECKPOINT (SESSION_ID_, ACT_INST_ID_)",
      "CREATE INDEX IF NOT EXISTS CORTEX_IDX_SESSION_PI ON CORTEX_SESSION (PROC_INST_ID_)",
      """
      CREATE TABLE IF NOT EXISTS CORTEX_AUDIT (
        ENTRY_ID_ VARCHAR(64) NOT NULL PRIMARY KEY,
        ACTION_ VARCHAR(40) NOT NULL,
        TIMESTAMP_ BIGINT NOT NULL,
        SESSION_ID_ VARCHAR(100),
        ACTOR_ VARCHAR(255),
        DETAILS_ VARCHAR,
        OUTCOME_ VARCHAR(16) NOT NULL
      )""",
      "CREATE INDEX IF NOT EXISTS CORTEX_IDX_AUDIT_SESSION ON CORTEX_AUDIT (SESSION_ID_, TIMESTAMP_)",
      // One row per repository, locked (SELECT ... FOR UPDATE) by whoever writes the repository; see
      // io.cortex.lock.RepositoryLocks. The columns name the holder.
      """
      CREATE TABLE IF NOT EXISTS CORTEX_REPO_LOCK (
        REPO_PATH_ VARCHAR(4000) NOT NULL PRIMARY KEY,
        OWNER_ VARCHAR(255),
        OPERATION_ VARCHAR(64),
        ACQUIRED_AT_ BIGINT
      )""",
      // What a rollback, undo or retention run is about to do to a repository, written before git is touched;
      // see io.cortex.intent.Intent. A PENDING row whose repository lock is free is an interrupted operation.
      """
      CREATE TABLE IF NOT EXISTS CORTEX_INTENT (
        INTENT_ID_ VARCHAR(64) NOT NULL PRIMARY KEY,
        OPERATION_ VARCHAR(32) NOT NULL,
        STATE_ VARCHAR(16) NOT NULL,
        REPO_PATH_ VARCHAR(4000) NOT NULL,
        SESSION_ID_ VARCHAR(100),
        OWNER_ VARCHAR(255),
        CREATED_AT_ BIGINT NOT NULL,
        FINISHED_AT_ BIGINT,
        DETAILS_ VARCHAR
      )""",
      "CREATE INDEX IF NOT EXISTS CORTEX_IDX_INTENT_STATE ON CORTEX_INTENT (STATE_, REPO_PATH_)");

  private CortexSchema() {
  }

  public static void create(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement()) {
      for (String ddl : DDL) {
        statement.execute(ddl);
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new CortexException("Could not create the Cortex tables: " + e.getMessage(), e);
    }
  }
}
