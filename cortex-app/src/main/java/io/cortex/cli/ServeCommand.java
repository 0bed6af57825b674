package io.cortex.cli;

import io.cortex.base.CortexException;
import io.cortex.config.ConfigLocator;
import io.cortex.config.CortexConfig;
import io.cortex.config.ServerConfig;
import io.cortex.server.CortexServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./cortex serve}: the server, until Ctrl-C. */
@Command(name = "serve", description = {
    "Run the Cortex server on the shared data directory: Camunda Cockpit, Tasklist and Admin at"
        + " http://localhost:PORT/camunda, the engine REST API at /engine-rest and the Cortex REST API at"
        + " /cortex-rest. CLI calls with the same --data see the same sessions while it runs.",
    "At the first start it creates the Camunda user 'admin' and prints its password once (or set"
        + " CORTEX_ADMIN_USER and CORTEX_ADMIN_PASSWORD)."})
final class ServeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N",
      description = "HTTP port (1-65535). Default: server.port of the configuration, 8080.")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    CortexCli root = (CortexCli) spec.root().userObject();
    CliContext context = root.context();
    CortexConfig config = context.config();
    int httpPort = port != null ? port : config.server().port();
    if (httpPort < ServerConfig.MIN_PORT || httpPort > ServerConfig.MAX_PORT) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--port': " + httpPort + " is not a port (1-65535)");
    }
    Path configFile = ConfigLocator.locate(root.config, System.getenv(), CliContext.home()).orElse(null);
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      ConfigurableApplicationContext server = CortexServer.start(httpPort, context.dataDir(), configFile,
          new ApplicationListener<ContextClosedEvent>() {
            @Override
            public void onApplicationEvent(ContextClosedEvent event) {
              stopped.countDown();
            }
          });
      if (!server.isActive()) {
        return 0;
      }
    } catch (RuntimeException e) {
      throw new CortexException("The server did not start: " + rootMessage(e, httpPort));
    }
    stopped.await();
    return 0;
  }

  private static String rootMessage(Throwable e, int port) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root.getClass().getSimpleName().equals("PortInUseException")) {
        break;
      }
      root = root.getCause();
    }
    if (root.getClass().getSimpleName().equals("PortInUseException")
        || String.valueOf(root.getMessage()).contains("Address already in use")) {
      return "port " + port + " is already in use; choose another with --port N (or server.port in the configuration).";
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
