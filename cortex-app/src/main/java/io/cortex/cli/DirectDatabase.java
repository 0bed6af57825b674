package io.cortex.cli;

import io.cortex.config.CortexConfig;
import io.cortex.db.Transactions;
import io.cortex.engine.EmbeddedEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The database a CLI call would boot its engine on, opened with plain JDBC for a command that only reads
 * (checkpoints, audit, history): a second or more less per call. Only once an engine has set the database up.
 */
final class DirectDatabase implements Transactions, AutoCloseable {

  private final Connection connection;

  private DirectDatabase(Connection connection) {
    this.connection = connection;
  }

  /** Empty when the database or Cortex's tables do not exist yet: an engine creates them. */
  static Optional<DirectDatabase> open(CortexConfig config, Path dataDir) {
    String url = EmbeddedEngine.jdbcUrl(config, dataDir);
    if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("IFEXISTS")) {
      url += ";IFEXISTS=TRUE"; // never create an empty database file here
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, config.database().username(), config.database().password());
    } catch (SQLException e) {
      return Optional.empty();
    }
    try (Statement probe = connection.createStatement()) {
      probe.executeQuery("SELECT 1 FROM CORTEX_CHECKPOINT WHERE 1 = 0").close();
      probe.executeQuery("SELECT 1 FROM CORTEX_AUDIT WHERE 1 = 0").close();
      return Optional.of(new DirectDatabase(connection));
    } catch (SQLException e) {
      close(connection);
      return Optional.empty();
    }
  }

  @Override
  public <T> T run(Function<Connection, T> work) {
    return work.apply(connection);
  }

  @Override
  public void close() {
    close(connection);
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // a read-only connection: nothing to lose
    }
  }
}
