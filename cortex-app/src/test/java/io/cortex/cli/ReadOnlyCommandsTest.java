package io.cortex.cli;

import static io.cortex.cli.CliRun.cortex;
import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.CheckpointEvents;
import io.cortex.checkpoint.CheckpointRequest;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.checkpoint.Checkpointer;
import io.cortex.checkpoint.Session;
import io.cortex.cli.CliRun.Result;
import io.cortex.db.CortexSchema;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.testing.TempRepo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import io.cortex.db.HighWaterMark;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoints}, {@code audit}, {@code history} and {@code status} only read: they go to the owner of the
 * data directory like every command (no process reads the database file behind its owner's back), and they still
 * answer on a database that went back behind its high-water mark, where every writing command is refused.
 */
class ReadOnlyCommandsTest {

  private static final String SESSION = "read-only-001";

  @TempDir
  Path temp;

  @Test
  void aDatabaseThatWentBackAnswersReadsAndRefusesWritesSayingHowToRecover() throws Exception {
    // given: a session, a copy of its database, then one more checkpoint (the high-water mark follows it)
    Path data = temp.resolve("data");
    TempRepo repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("the first commit");
    CortexCliTest.assertSucceeded(cortex(data, "start", "tdd", "--repo", repo.dir().toString(), "--session", SESSION));
    Path database = data.resolve("cortex.mv.db");
    Path old = temp.resolve("old.mv.db");
    Files.copy(database, old);
    CortexCliTest.assertSucceeded(cortex(data, "checkpoint", "create", "--session", SESSION, "--id", "later"));
    String refsBefore = repo.git("for-each-ref", "refs/cortex");

    // when: the database file goes back to the copy, as a file system restored from an old snapshot would
    Files.copy(old, database, StandardCopyOption.REPLACE_EXISTING);
    Result checkpoints = cortex(data, "checkpoints", "--session", SESSION);
    Result audit = cortex(data, "audit", "--session", SESSION);
    Result history = cortex(data, "history", "--session", SESSION);
    Result write = cortex(data, "checkpoint", "create", "--session", SESSION, "--id", "after");

    // then: reads answer with what the database holds; the write is refused, says why and how to recover
    CortexCliTest.assertSucceeded(checkpoints);
    assertThat(checkpoints.out()).contains("session-start").doesNotContain("later");
    CortexCliTest.assertSucceeded(audit);
    CortexCliTest.assertSucceeded(history);
    assertThat(history.out()).contains("the first commit");
    assertThat(write.exit()).as("%s", write).isEqualTo(1);
    assertThat(write.err()).startsWith("cortex: ").contains("gone back in time", "cortex-last-good.zip",
        HighWaterMark.FILE_NAME, "rebuild --repo");
    assertThat(repo.git("for-each-ref", "refs/cortex")).as("nothing written").isEqualTo(refsBefore);

    // and when: the user accepts the database as it is (deletes the mark) and rebuilds the catalogue from the refs
    Files.delete(data.resolve(HighWaterMark.FILE_NAME));
    CortexCliTest.assertSucceeded(cortex(data, "rebuild", "--repo", repo.dir().toString()));
    Result after = cortex(data, "checkpoints", "--session", SESSION);
    assertThat(after.out()).contains("session-start", "later");
  }

  @Test
  void beforeAnyEngineHasRunTheyGoThroughOne() throws SQLException {
    Path data = temp.resolve("fresh");

    Result checkpoints = cortex(data, "checkpoints", "--session", SESSION);

    assertThat(checkpoints.exit()).isEqualTo(1);
    assertThat(checkpoints.err()).startsWith("cortex: ").contains(SESSION);
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(EmbeddedEngine.h2Url(data));
    dataSource.setUser("sa");
    assertThat(camundaTables(dataSource)).as("the engine set the database up").isPositive();
  }

  private static int camundaTables(JdbcDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'ACT_RU_%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
