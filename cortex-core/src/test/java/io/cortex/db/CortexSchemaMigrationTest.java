package io.cortex.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioned migrations of Cortex's tables on H2 (the PostgreSQL side: io.cortex.cluster.PostgresUpgradeTest). */
class CortexSchemaMigrationTest {

  @TempDir
  Path temp;

  @Test
  void freshDatabaseGetsEveryTableAndAHistory() throws SQLException {
    // given
    DataSource db = h2("fresh");

    // when
    CortexSchema.migrate(db);

    // then
    assertThat(tables(db)).contains("CORTEX_SESSION", "CORTEX_CHECKPOINT", "CORTEX_AUDIT", "CORTEX_REPO_LOCK",
        "CORTEX_INTENT", "CORTEX_SCHEMA_HISTORY");
    assertThat(appliedVersions(db)).contains("1");
  }

  @Test
  void databaseOfTheReleaseBeforeMigrationsIsBaselinedAndKeepsItsRows() throws Exception {
    // given: the tables release 0.1 made (CortexSchema at 0f2bc6e), with a row, and Camunda's tables beside them
    DataSource db = h2("old");
    run(db, oldReleaseSchema());
    run(db, "CREATE TABLE ACT_GE_PROPERTY (NAME_ VARCHAR(64) PRIMARY KEY)");
    run(db, "INSERT INTO CORTEX_SESSION VALUES ('s1', 'tdd', 'pi-1', '/repo', 1)");

    // when
    CortexSchema.migrate(db);

    // then
    assertThat(count(db, "SELECT COUNT(*) FROM CORTEX_SESSION")).isEqualTo(1);
    assertThat(appliedVersions(db)).containsExactly("0", "1");
  }

  @Test
  void databaseOfAnEarlierReleaseGetsTheTablesItLacked() throws Exception {
    // given: a release before the repository lock and intent log had only these three tables
    DataSource db = h2("older");
    run(db, oldReleaseSchema().replaceAll("(?s)CREATE TABLE IF NOT EXISTS CORTEX_REPO_LOCK.*", ""));
    assertThat(tables(db)).doesNotContain("CORTEX_INTENT", "CORTEX_REPO_LOCK");

    // when
    CortexSchema.migrate(db);

    // then
    assertThat(tables(db)).contains("CORTEX_INTENT", "CORTEX_REPO_LOCK");
  }

  @Test
  void migratingTwiceChangesNothing() throws SQLException {
    // given
    DataSource db = h2("twice");
    CortexSchema.migrate(db);
    List<String> before = appliedVersions(db);

    // when
    CortexSchema.migrate(db);

    // then
    assertThat(appliedVersions(db)).isEqualTo(before);
  }

  @Test
  void databaseMigratedByANewerCortexIsRefusedWithTheVersions() throws SQLException {
    // given: a newer Cortex applied version 99
    DataSource db = h2("newer");
    CortexSchema.migrate(db);
    run(db, "INSERT INTO CORTEX_SCHEMA_HISTORY (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
        + " \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
        + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'sa', 1, TRUE)");

    // when / then
    assertThatThrownBy(() -> CortexSchema.migrate(db))
        .isInstanceOf(SchemaTooNewException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("knows versions up to 1")
        .hasMessageContaining("Nothing was changed");
  }

  // --- plumbing ---

  private DataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + temp.resolve(name).toAbsolutePath() + ";DB_CLOSE_DELAY=0");
    ds.setUser("sa");
    ds.setPassword("");
    return ds;
  }

  static String oldReleaseSchema() throws IOException {
    try (InputStream in = CortexSchemaMigrationTest.class.getResourceAsStream("/io/cortex/upgrade/release-0.1-schema.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void run(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  private static int count(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<String> tables(DataSource db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.getConnection(); ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return names;
  }

  private static List<String> appliedVersions(DataSource db) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT \"version\" FROM CORTEX_SCHEMA_HISTORY WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
