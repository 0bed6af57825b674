package io.cortex.engine;

import io.cortex.db.Transactions;
import java.sql.Connection;
import java.util.function.Function;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Each unit of work in a transaction of its own, committed when it returns — also when called
 * from inside a job, so a rollback's PRE_ROLLBACK checkpoint is safe before git is touched.
 */
final class NewTransactions implements Transactions {

  private final ProcessEngineConfigurationImpl configuration;

  NewTransactions(ProcessEngineConfigurationImpl configuration) {
    this.configuration = configuration;
  }

  @Override
  public <T> T run(Function<Connection, T> work) {
    return configuration.getCommandExecutorTxRequiresNew().execute(context -> work.apply(EngineTransaction.connection(context)));
  }
}
