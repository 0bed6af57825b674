package io.cortex.server;

import io.cortex.spring.CortexSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Cortex server ({@code ./cortex serve}): a Spring Boot application with the Camunda 7 engine
 * {@code default} (the Cortex plugin in it), Cockpit, Tasklist and Admin under {@code /camunda}, the engine
 * REST API under {@code /engine-rest} and the Cortex REST API under {@code /cortex-rest}, on the database the
 * CLI uses. See docs/server.md.
 *
 * <p>Spring Boot's Flyway auto-configuration is off: the Cortex plugin migrates its own tables, with its own history
 * table, when the engine starts ({@link io.cortex.db.CortexSchema}); Boot's would look for a host's migrations.
 */
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration")
public class CortexServer {

  public static void main(String[] args) {
    SpringApplication.run(CortexServer.class, args);
  }

  /**
   * Starts the server and returns once it accepts requests.
   *
   * @param port the HTTP port
   * @param address the address to listen on, or {@code null} for Spring's {@code server.address} (127.0.0.1 unless a
   *     Spring property source such as {@code SERVER_ADDRESS} says otherwise)
   * @param dataDir the data directory (H2 database unless the configuration names another one)
   * @param configFile the configuration file, or {@code null} for the defaults
   */
  public static ConfigurableApplicationContext start(int port, String address, Path dataDir, Path configFile,
                                                     ApplicationListener<?>... listeners) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    if (address != null) {
      args.add("--server.address=" + address);
    }
    args.add("--" + CortexSettings.DATA + "=" + dataDir.toAbsolutePath().normalize());
    if (configFile != null) {
      args.add("--" + CortexSettings.CONFIG + "=" + configFile.toAbsolutePath().normalize());
    }
    SpringApplication application = new SpringApplication(CortexServer.class);
    application.setMainApplicationClass(CortexServer.class);
    application.addListeners(listeners);
    return application.run(args.toArray(String[]::new));
  }

  /** Cortex on the engine of a server {@link #start} started (for the CLI calls it serves). */
  public static io.cortex.Cortex cortex(ConfigurableApplicationContext server) {
    return io.cortex.Cortex.on(server.getBean(org.camunda.bpm.engine.ProcessEngine.class));
  }
}
