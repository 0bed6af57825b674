package io.cortex.engine;

import io.cortex.checkpoint.Catalogue;
import java.sql.Connection;
import org.camunda.bpm.engine.impl.cfg.TransactionContext;
import org.camunda.bpm.engine.impl.cfg.TransactionListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/** Access to Cortex's tables inside the engine's current transaction. */
public final class EngineTransaction {

  private EngineTransaction() {
  }

  /** The catalogue on the connection of the running engine command, so rows commit or roll back with it. */
  static Catalogue catalogue() {
    return catalogue(Context.getCommandContext());
  }

  public static Catalogue catalogue(CommandContext commandContext) {
    return new Catalogue(connection(commandContext));
  }

  public static Connection connection(CommandContext commandContext) {
    if (commandContext == null) {
      throw new IllegalStateException("Cortex database access outside an engine command");
    }
    return commandContext.getSession(CortexSqlSession.class).connection();
  }

  /** The Camunda user the command runs for, or {@code engine} when it runs on the engine's own behalf. */
  static String actor(CommandContext commandContext) {
    String user = commandContext.getAuthenticatedUserId();
    return user != null ? user : "engine";
  }

  /**
   * Runs {@code release} once the running engine transaction has committed or rolled back, after
   * {@link CortexSqlSession} has committed or rolled back Cortex's rows; false when no engine command runs. A
   * checkpoint's repository lock must outlive the transaction that writes its catalogue row (see
   * {@link io.cortex.checkpoint.Checkpointer}).
   */
  static boolean releaseAtEnd(Runnable release) {
    CommandContext context = Context.getCommandContext();
    if (context == null) {
      return false;
    }
    context.getSession(CortexSqlSession.class); // registers its commit listener first, if not done yet
    TransactionContext transaction = context.getTransactionContext();
    boolean[] done = {false};
    TransactionListener once = committed -> {
      if (!done[0]) {
        done[0] = true;
        release.run();
      }
    };
    transaction.addTransactionListener(TransactionState.COMMITTED, once);
    transaction.addTransactionListener(TransactionState.ROLLED_BACK, once);
    return true;
  }
}
