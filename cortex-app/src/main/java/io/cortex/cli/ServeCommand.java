package io.cortex.cli;

import io.cortex.base.CortexException;
import io.cortex.client.CortexClient;
import io.cortex.client.DaemonAddress;
import io.cortex.daemon.DataDirectoryOwnership;
import io.cortex.daemon.ResidentCortex;
import io.cortex.daemon.ResidentServer;
import java.time.Duration;
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
        + " /cortex-rest. It owns the data directory while it runs: CLI calls with the same --data are served by it"
        + " (a resident Cortex that had the directory hands it over).",
    "At the first start it creates the Camunda user 'admin' and prints its password once (or set"
        + " CORTEX_ADMIN_USER and CORTEX_ADMIN_PASSWORD)."})
final class ServeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "N",
      description = "HTTP port (1-65535). Default: server.port of the configuration, 8080.")
  Integer port;

  @Option(names = "--address", paramLabel = "ADDR",
      description = "Address to listen on. Default: server.address of the configuration, else 127.0.0.1 (this"
          + " machine only). 0.0.0.0 listens on every interface: other machines can connect (a warning says so;"
          + " see docs/server.md).")
  String address;

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
    String listenAddress = address != null ? address.strip() : config.server().address();
    if (address != null) {
      try {
        new ServerConfig(httpPort, address); // the same rule as server.address
      } catch (CortexException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--address': "
            + e.getMessage().replaceFirst("^.*server\\.address: ", ""));
      }
    }
    Path configFile = context.configFile();
    Path dataDir = context.dataDir();
    CountDownLatch stopped = new CountDownLatch(1);
    try (DataDirectoryOwnership ownership = takeOver(dataDir, spec.commandLine().getErr())) {
      ConfigurableApplicationContext server;
      try {
        server = CortexServer.start(httpPort, listenAddress, dataDir, configFile,
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
      // the server is the resident owner of the data directory: CLI calls come to it over the socket
      try (ResidentServer calls = ResidentCortex.forServer(dataDir, CortexServer.cortex(server), CortexCli::runResident)) {
        stopped.await();
      } catch (java.io.IOException e) {
        server.close();
        throw new CortexException("The server could not open its CLI socket in " + dataDir + ": " + e.getMessage());
      }
    }
    return 0;
  }

  /**
   * The data directory for the server: a resident Cortex that has it is asked to stop first (it finishes the
   * commands it runs), so the CLI's next calls come to the server; another server or a {@code --no-daemon} call
   * that has it is named in the error.
   */
  private static DataDirectoryOwnership takeOver(Path dataDir, java.io.PrintWriter err) {
    DaemonAddress address = DaemonAddress.of(dataDir);
    // resident processes that clients start meanwhile stand back while this marker names a live server
    ServerPending pending = ServerPending.mark(address);
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(12);
      boolean told = false;
      while (true) {
        java.util.Optional<io.cortex.client.OwnerRecord> owner = DataDirectoryOwnership.otherOwner(dataDir)
            .filter(io.cortex.client.OwnerRecord::alive);
        if (owner.isPresent() && owner.get().kind().equals("daemon")) {
          if (!told) {
            err.println("cortex: the resident Cortex (pid " + owner.get().pid() + ") of " + dataDir
                + " hands the data directory over to the server (after the commands it runs); CLI calls go to the"
                + " server while it runs");
            told = true;
          }
          try {
            CortexClient.requestStop(address, io.cortex.client.BuildId.current());
          } catch (java.io.IOException e) {
            // it is stopping already
          }
        }
        try {
          return DataDirectoryOwnership.acquire(dataDir, "serve",
              owner.isPresent() && !owner.get().kind().equals("daemon") ? Duration.ofSeconds(30) : Duration.ofSeconds(1));
        } catch (io.cortex.daemon.DataDirectoryOwnedException e) {
          if (System.nanoTime() > deadline || e.owner() == null || !e.owner().kind().equals("daemon")) {
            throw e;
          }
        }
      }
    } finally {
      pending.close();
    }
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
