package io.cortex.engine;

import io.cortex.base.CortexException;
import java.sql.Connection;
import java.sql.SQLException;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;

/**
 * Cortex's share of an engine command: the command's JDBC connection, tied to the command's
 * transaction. One per command context (the engine's session mechanism).
 *
 * <p>Cortex writes with plain JDBC on MyBatis' connection. MyBatis only rolls back when its own
 * statements made the session dirty, and it re-enables auto-commit when it closes the
 * connection — which would commit Cortex's rows of a failed command. So the session rolls the
 * connection back itself when the engine rolls back, and commits it when the engine commits.
 */
final class CortexSqlSession implements Session {

  private final Connection connection;

  CortexSqlSession(CommandContext commandContext) {
    this.connection = commandContext.getDbSqlSession().getSqlSession().getConnection();
    commandContext.getTransactionContext().addTransactionListener(TransactionState.ROLLINGBACK, context -> rollback());
    commandContext.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, context -> commit());
  }

  Connection connection() {
    return connection;
  }

  private void rollback() {
    try {
      if (!connection.isClosed() && !connection.getAutoCommit()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new CortexException("Could not roll back Cortex's database changes: " + e.getMessage(), e);
    }
  }

  private void commit() {
    try {
      if (!connection.isClosed() && !connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new CortexException("Could not commit Cortex's database changes: " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }

  /** Registered by the plugin, so {@code commandContext.getSession(CortexSqlSession.class)} works. */
  static final class Factory implements SessionFactory {

    @Override
    public Class<?> getSessionType() {
      return CortexSqlSession.class;
    }

    @Override
    public Session openSession() {
      return new CortexSqlSession(org.camunda.bpm.engine.impl.context.Context.getCommandContext());
    }
  }
}
