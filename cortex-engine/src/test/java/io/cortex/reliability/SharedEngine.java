package io.cortex.reliability;

import io.cortex.Cortex;
import io.cortex.db.Transactions;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.engine.CortexServices;
import io.cortex.engine.EngineTransaction;
import io.cortex.testing.TestEngines;
import java.sql.Connection;
import java.util.function.Function;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * One real engine (in-memory H2, default configuration, the shipped workflows) for the reliability tests of
 * this JVM: starting Camunda is the slowest part of a test, and the suite has a time budget. Every test works
 * on its own repositories and sessions; an observer a test adds, it removes.
 */
final class SharedEngine {

  private static Cortex cortex;

  private SharedEngine() {
  }

  static synchronized Cortex cortex() {
    if (cortex == null) {
      cortex = TestEngines.cortex();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cortex.engine().close()));
    }
    return cortex;
  }

  static CortexServices plugin() {
    return CortexProcessEnginePlugin.of(configuration()).orElseThrow().services();
  }

  static ProcessEngineConfigurationImpl configuration() {
    return (ProcessEngineConfigurationImpl) cortex().engine().getProcessEngineConfiguration();
  }

  /** Each unit of work in a transaction of the shared engine. */
  static Transactions transactions() {
    ProcessEngineConfigurationImpl configuration = configuration();
    return new Transactions() {
      @Override
      public <T> T run(Function<Connection, T> work) {
        return configuration.getCommandExecutorTxRequired().execute((CommandContext ctx) ->
            work.apply(EngineTransaction.connection(ctx)));
      }
    };
  }
}
