package io.cortex.engine;

import io.cortex.checkpoint.Catalogue;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/** Access to the catalogue inside the engine's current transaction. */
public final class EngineTransaction {

  private EngineTransaction() {
  }

  /** The catalogue on the connection of the running engine command, so rows commit or roll back with it. */
  static Catalogue catalogue() {
    return catalogue(Context.getCommandContext());
  }

  public static Catalogue catalogue(CommandContext commandContext) {
    if (commandContext == null) {
      throw new IllegalStateException("Cortex catalogue access outside an engine command");
    }
    return new Catalogue(commandContext.getDbSqlSession().getSqlSession().getConnection());
  }
}
