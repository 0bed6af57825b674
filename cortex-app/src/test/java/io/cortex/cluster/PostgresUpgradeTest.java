package io.cortex.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.IntegrityHash;
import io.cortex.config.ConfigLoader;
import io.cortex.testing.Release01Fixture;
import io.cortex.testing.TempRepo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade from Cortex 0.1 on PostgreSQL: the database as 0.1 left it — its DDL verbatim
 * ({@code release-0.1-schema.sql}) and the Cortex rows of the release 0.1 fixture — opened by this code. The tables
 * are baselined and migrated in one transaction, the old checkpoints restore exactly, new checkpoints follow them,
 * and rebuild lists them again. (Camunda's own tables are Camunda's to upgrade: the engine creates them here.)
 */
class PostgresUpgradeTest {

  private static final String SESSION = Release01Fixture.SESSION;
  private static final List<String> CORTEX_TABLES = List.of("CORTEX_SESSION", "CORTEX_CHECKPOINT", "CORTEX_AUDIT");

  @TempDir
  Path temp;

  @Test
  void aPostgresDatabaseOfRelease01OpensAndItsCheckpointsRestoreExactly() throws Exception {
    // given: 0.1's tables and rows on PostgreSQL, no history table
    Release01Fixture fixture = Release01Fixture.unpack(temp);
    TestPostgres.Database database = TestPostgres.freshDatabase("cortex_upgrade");
    try {
      try (Connection pg = database.connect()) {
        runScript(pg, resource("/io/cortex/upgrade/release-0.1-schema.sql"));
        try (Connection h2 = DriverManager.getConnection(fixture.h2Url(), "sa", "")) {
          for (String table : CORTEX_TABLES) {
            copyRows(h2, pg, table);
          }
        }
      }
      Path config = Files.writeString(temp.resolve("cortex.yaml"), database.yaml());
      TempRepo repo = TempRepo.open(fixture.repo());
      String onDisk = repo.nativeSnapshotTree();

      // when
      try (Cortex cortex = Cortex.start(ConfigLoader.load(config), temp.resolve("data"))) {
        // then: listed, intact, restorable exactly
        List<Checkpoint> old = cortex.checkpoints(SESSION);
        assertThat(old).extracting(Checkpoint::checkpointId)
            .containsExactly("session-start", "red-1", "green-1", "before-experiment", "pre-rollback-1");
        assertThat(old).allMatch(IntegrityHash::matches);
        for (String target : List.of("red-1", "pre-rollback-1")) {
          Checkpoint checkpoint = cortex.checkpoint(SESSION, target);
          cortex.rollback(SESSION, target, true);
          assertThat(repo.nativeSnapshotTree()).as("after rollback to " + target)
              .isEqualTo(repo.git("rev-parse", checkpoint.snapshotCommit() + "^{tree}").strip());
          cortex.undo(SESSION, false);
          assertThat(repo.nativeSnapshotTree()).as("after undoing " + target).isEqualTo(onDisk);
        }

        // and: a new checkpoint follows the old ones; rebuild lists them all from their refs
        Checkpoint next = cortex.createCheckpoint(SESSION, null, Map.of());
        assertThat(next.sequence()).isGreaterThan(old.get(old.size() - 1).sequence());
        var report = cortex.rebuild(fixture.repo(), SESSION);
        assertThat(report.problems()).isEmpty();
        assertThat(cortex.checkpoints(SESSION)).containsAll(old).contains(next);
      }

      // and: baselined at 0, then V1; every old row kept
      try (Connection pg = database.connect(); Statement s = pg.createStatement();
           ResultSet rs = s.executeQuery("SELECT version FROM cortex_schema_history WHERE success"
               + " AND version IS NOT NULL ORDER BY installed_rank")) {
        List<String> versions = new ArrayList<>();
        while (rs.next()) {
          versions.add(rs.getString(1));
        }
        assertThat(versions).startsWith("0", "1");
      }
    } finally {
      database.drop();
    }
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = PostgresUpgradeTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void runScript(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  private static void copyRows(Connection from, Connection to, String table) throws Exception {
    try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i));
      }
      String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
          + String.join(", ", columns.stream().map(col -> "?").toList()) + ")";
      try (PreparedStatement p = to.prepareStatement(insert)) {
        while (rs.next()) {
          for (int i = 1; i <= columns.size(); i++) {
            p.setObject(i, rs.getObject(i));
          }
          p.executeUpdate();
        }
      }
    }
  }
}
