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
 */
@SpringBootApplication
public class CortexServer {

  public static void main(String[] args) {
    SpringApplication.run(CortexServer.class, args);
  }

  /**
   * Starts the server and returns once it accepts requests.
   *
   * @param port the HTTP port
   * @param dataDir the data directory (H2 database unless the configuration names another one)
   * @param configFile the configuration file, or {@code null} for the defaults
   */
  public static ConfigurableApplicationContext start(int port, Path dataDir, Path configFile,
                                                     ApplicationListener<?>... listeners) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--" + CortexSettings.DATA + "=" + dataDir.toAbsolutePath().normalize());
    if (configFile != null) {
      args.add("--" + CortexSettings.CONFIG + "=" + configFile.toAbsolutePath().normalize());
    }
    SpringApplication application = new SpringApplication(CortexServer.class);
    application.setMainApplicationClass(CortexServer.class);
    application.addListeners(listeners);
    return application.run(args.toArray(String[]::new));
  }
}
