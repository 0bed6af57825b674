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
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code checkpoints}, {@code audit} and {@code history} read the database with plain JDBC once Cortex's tables
 * are there, without booting an engine; before that, they go through an engine like every command.
 */
class ReadOnlyCommandsTest {

  private static final String SESSION = "read-only-001";

  @TempDir
  Path temp;

  @Test
  void readOnlyCommandsAnswerWithoutBootingAnEngine() throws SQLException {
    Path data = temp.resolve("data");
    TempRepo repo = TempRepo.init(temp).write("README.md", "# app\n").commitAll("the first commit");
    // a database with Cortex's tables only: an engine booting on it would add Camunda's
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(EmbeddedEngine.h2Url(data));
    dataSource.setUser("sa");
    CortexSchema.create(dataSource);
    try (Connection c = dataSource.getConnection()) {
      Catalogue catalogue = new Catalogue(c);
      catalogue.insertSession(new Session(SESSION, null, null, repo.dir(), Instant.now()));
      new Checkpointer(1 << 20, Clock.systemUTC(), CheckpointEvents.NONE).take(catalogue,
          new CheckpointRequest(SESSION, CheckpointType.USER_REQUESTED, "by-hand", null, null, null, Map.of(), "test"));
      new AuditLog(c).append(AuditAction.CHECKPOINT_CREATED, Instant.now(), SESSION, "test", Map.of(), AuditOutcome.SUCCESS);
    }

    Result checkpoints = cortex(data, "checkpoints", "--session", SESSION);
    Result audit = cortex(data, "audit", "--session", SESSION);
    Result history = cortex(data, "history", "--session", SESSION);
    Result unknown = cortex(data, "checkpoints", "--session", "no-such-session");

    CortexCliTest.assertSucceeded(checkpoints);
    assertThat(checkpoints.out()).contains("by-hand", "USER_REQUESTED");
    CortexCliTest.assertSucceeded(audit);
    assertThat(audit.out()).contains("CHECKPOINT_CREATED", SESSION);
    CortexCliTest.assertSucceeded(history);
    assertThat(history.out()).contains("the first commit");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("cortex: ").contains("no-such-session");
    assertThat(camundaTables(dataSource)).as("no engine was booted").isZero();
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
