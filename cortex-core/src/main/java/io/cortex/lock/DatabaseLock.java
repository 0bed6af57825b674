package io.cortex.lock;

import io.cortex.base.CortexException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The database half of a repository lock: the row of {@code CORTEX_REPO_LOCK} for the repository, locked
 * with {@code SELECT … FOR UPDATE} in a transaction of a connection of its own that stays open while the
 * work runs. Every process and engine node on the same database queues on that row; a holder that dies
 * loses its connection, and the database releases the row.
 *
 * <p>The holder writes its name, operation and start into the row. Other transactions cannot see that
 * until it commits, so a waiter that gives up finds the holder on H2 by reading uncommitted data and on
 * PostgreSQL through the holder connection's {@code application_name} in {@code pg_stat_activity}.
 */
final class DatabaseLock {

  enum Product { H2, POSTGRESQL, OTHER }

  private static final Logger LOG = Logger.getLogger(DatabaseLock.class.getName());
  static final String TABLE = "CORTEX_REPO_LOCK";
  private static final String INSERT =
      "INSERT INTO " + TABLE + " (REPO_PATH_, OWNER_, OPERATION_, ACQUIRED_AT_) VALUES (?, NULL, NULL, NULL)";
  private static final String LOCK_ROW = "SELECT REPO_PATH_ FROM " + TABLE + " WHERE REPO_PATH_ = ? FOR UPDATE";
  private static final String RECORD_HOLDER =
      "UPDATE " + TABLE + " SET OWNER_ = ?, OPERATION_ = ?, ACQUIRED_AT_ = ? WHERE REPO_PATH_ = ?";
  private static final String READ_HOLDER = "SELECT OWNER_, OPERATION_, ACQUIRED_AT_ FROM " + TABLE + " WHERE REPO_PATH_ = ?";
  private static final String PG_APP_PREFIX = "cortex-lock ";
  private static final Duration PROBE = Duration.ofMillis(1);

  private final Connection connection;
  private final Product product;
  private final Long previousH2LockTimeout;
  private final String previousApplicationName;

  private DatabaseLock(Connection connection, Product product, Long previousH2LockTimeout, String previousApplicationName) {
    this.connection = connection;
    this.product = product;
    this.previousH2LockTimeout = previousH2LockTimeout;
    this.previousApplicationName = previousApplicationName;
  }

  /**
   * Locks the repository's row, waiting up to {@code timeout} for another holder.
   *
   * @param onWait called once when the row is held by someone else and this call has to wait
   */
  static DatabaseLock acquire(DataSource dataSource, String repository, String owner, String operation,
                              Duration timeout, Runnable onWait) {
    Connection connection = null;
    Product product = Product.OTHER;
    Long previousTimeout = null;
    try {
      connection = dataSource.getConnection();
      product = product(connection);
      connection.setAutoCommit(true);
      insertIfAbsent(connection, repository);
      previousTimeout = product == Product.H2 ? h2LockTimeout(connection) : null;
      connection.setAutoCommit(false);
      long start = System.nanoTime();
      if (!lockRow(connection, product, repository, PROBE)) {
        onWait.run();
        if (!lockRow(connection, product, repository, timeout)) {
          long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
          throw new RepositoryBusyException(repository, holder(dataSource, product, repository), waited);
        }
      }
      try (PreparedStatement update = connection.prepareStatement(RECORD_HOLDER)) {
        update.setString(1, truncate(owner, 255));
        update.setString(2, truncate(operation, 64));
        update.setLong(3, Instant.now().toEpochMilli());
        update.setString(4, repository);
        update.executeUpdate();
      }
      String previousName = product == Product.POSTGRESQL
          ? setApplicationName(connection, applicationName(repository, operation, owner)) : null;
      return new DatabaseLock(connection, product, previousTimeout, previousName);
    } catch (SQLException e) {
      abandon(connection, product, previousTimeout);
      throw new CortexException("Could not lock repository " + repository + " in the database (table " + TABLE
          + "): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abandon(connection, product, previousTimeout);
      throw e;
    }
  }

  /** The connection whose open transaction holds the row: for reads that belong with the lock. */
  Connection connection() {
    return connection;
  }

  /** Commits (which releases the row) and gives the connection back as it was; never throws. */
  void release() {
    try {
      connection.commit();
      restore(connection, product, previousH2LockTimeout, previousApplicationName);
      closeQuietly(connection);
    } catch (SQLException | RuntimeException e) {
      // closing the connection ends its transaction and with it the row lock
      LOG.log(Level.WARNING, "CORTEX-LOCK-001 Releasing a repository lock in the database failed; the connection is"
          + " closed, which releases it: " + e.getMessage(), e);
      abandon(connection, product, previousH2LockTimeout);
    }
  }

  // --- steps ---

  private static Product product(Connection connection) throws SQLException {
    String name = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return name.contains("h2") ? Product.H2 : name.contains("postgres") ? Product.POSTGRESQL : Product.OTHER;
  }

  /** The row must exist before it can be locked; a concurrent insert of the same row is fine. */
  private static void insertIfAbsent(Connection connection, String repository) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(READ_HOLDER)) {
      select.setString(1, repository);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, repository);
      insert.executeUpdate();
    } catch (SQLException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
    }
  }

  /** Tries to lock the row within {@code wait}; false when another transaction still holds it. */
  private static boolean lockRow(Connection connection, Product product, String repository, Duration wait)
      throws SQLException {
    long ms = Math.max(1, wait.toMillis());
    try (Statement statement = connection.createStatement()) {
      switch (product) {
        case H2 -> statement.execute("SET LOCK_TIMEOUT " + ms);
        case POSTGRESQL -> statement.execute("SET LOCAL lock_timeout = '" + ms + "ms'");
        default -> { }
      }
    }
    try (PreparedStatement select = connection.prepareStatement(LOCK_ROW)) {
      if (product == Product.OTHER) {
        select.setQueryTimeout((int) Math.max(1, (ms + 999) / 1000));
      }
      select.setString(1, repository);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the lock row of " + repository + " disappeared");
        }
        return true;
      }
    } catch (SQLException e) {
      if (isLockTimeout(e)) {
        connection.rollback(); // PostgreSQL: the failed statement aborted the transaction
        return false;
      }
      throw e;
    }
  }

  /** Who holds the row, for the message of a waiter that gives up. */
  private static String holder(DataSource dataSource, Product product, String repository) {
    try (Connection connection = dataSource.getConnection()) {
      if (product == Product.POSTGRESQL) {
        String app = postgresHolder(connection, repository);
        if (app != null) {
          return app;
        }
      }
      int isolation = connection.getTransactionIsolation();
      boolean autoCommit = connection.getAutoCommit();
      try {
        if (product == Product.H2) {
          connection.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
        }
        connection.setAutoCommit(true);
        try (PreparedStatement select = connection.prepareStatement(READ_HOLDER)) {
          select.setString(1, repository);
          try (ResultSet rs = select.executeQuery()) {
            if (rs.next() && rs.getString(1) != null) {
              long since = rs.getLong(3);
              return (product == Product.H2 ? "held by " : "last recorded holder: ") + rs.getString(1)
                  + " (" + rs.getString(2) + ", since " + Instant.ofEpochMilli(since) + ", "
                  + Math.max(0, (System.currentTimeMillis() - since) / 1000) + " s ago)";
            }
          }
        }
      } finally {
        connection.setTransactionIsolation(isolation);
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException | RuntimeException e) {
      return "held by another Cortex process or engine node (its name could not be read: " + e.getMessage() + ")";
    }
    return "held by another Cortex process or engine node";
  }

  private static String postgresHolder(Connection connection, String repository) throws SQLException {
    String prefix = PG_APP_PREFIX + hash(repository) + " ";
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT application_name, xact_start FROM pg_stat_activity WHERE application_name LIKE ? AND pid <> pg_backend_pid()")) {
      select.setString(1, prefix.replace("_", "\\_").replace("%", "\\%") + "%");
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          java.sql.Timestamp since = rs.getTimestamp(2);
          return "held for " + rs.getString(1).substring(prefix.length())
              + (since == null ? "" : " (transaction open since " + since.toInstant() + ")");
        }
      }
    }
    return null;
  }

  private static Long h2LockTimeout(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT LOCK_TIMEOUT()")) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  private static String setApplicationName(Connection connection, String name) throws SQLException {
    String previous;
    try (Statement statement = connection.createStatement();
         ResultSet rs = statement.executeQuery("SELECT current_setting('application_name')")) {
      previous = rs.next() ? rs.getString(1) : "";
    }
    try (PreparedStatement set = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
      set.setString(1, name);
      set.executeQuery().close();
    }
    return previous;
  }

  private static void restore(Connection connection, Product product, Long h2LockTimeout, String applicationName)
      throws SQLException {
    if (product == Product.H2 && h2LockTimeout != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCK_TIMEOUT " + h2LockTimeout);
      }
    }
    if (product == Product.POSTGRESQL && applicationName != null) {
      try (PreparedStatement set = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
        set.setString(1, applicationName);
        set.executeQuery().close();
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
      connection.setAutoCommit(true);
    }
  }

  /** Rolls back whatever this connection did, puts its settings back and closes it; never throws. */
  private static void abandon(Connection connection, Product product, Long h2LockTimeout) {
    if (connection == null) {
      return;
    }
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
      restore(connection, product, h2LockTimeout, null);
    } catch (SQLException ignored) {
      // closing below releases whatever the connection held
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to do
    }
  }

  static boolean isDuplicateKey(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if ("23505".equals(s.getSQLState()) || (s.getSQLState() != null && s.getSQLState().startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  /** H2: 50200 / HYT00 (lock timeout), 40001 (deadlock); PostgreSQL: 55P03 (lock not available), 40P01 (deadlock). */
  static boolean isLockTimeout(SQLException e) {
    if (e instanceof java.sql.SQLTimeoutException) {
      return true;
    }
    String state = e.getSQLState();
    return e.getErrorCode() == 50200 || "HYT00".equals(state) || "55P03".equals(state) || "40P01".equals(state)
        || "40001".equals(state) || "57014".equals(state);
  }

  /** What pg_stat_activity shows while this connection holds the row (63 ASCII characters at most). */
  static String applicationName(String repository, String operation, String owner) {
    String name = PG_APP_PREFIX + hash(repository) + " " + operation + " by " + owner;
    StringBuilder ascii = new StringBuilder();
    name.codePoints().forEach(c -> ascii.append(c >= 32 && c < 127 ? (char) c : '?'));
    return truncate(ascii.toString(), 63);
  }

  private static String hash(String repository) {
    return String.format("%08x", repository.hashCode());
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
