package io.cortex.server;

import io.cortex.config.CortexConfig;
import io.cortex.config.DatabaseConfig;
import io.cortex.engine.EmbeddedEngine;
import io.cortex.spring.CortexSettings;
import java.io.PrintStream;
import javax.sql.DataSource;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The server around the engine: its database (the CLI's), authentication of the engine REST API and the first
 * administrator at start-up. Cortex itself (plugin, processes, its REST API, the Cockpit tab) comes from
 * cortex-spring-boot-starter, as in any Spring Boot application.
 */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(ServerConfiguration.class);

  /**
   * The engine's database: {@code database.url} from the configuration, else the H2 file database in the
   * data directory under exactly the JDBC URL the CLI uses ({@code AUTO_SERVER=TRUE}), so CLI calls and the
   * running server share one state.
   */
  @Bean
  DataSource dataSource(ObjectProvider<CortexConfig> config, Environment environment) {
    CortexConfig cortex = config.getIfAvailable(() -> CortexSettings.config(environment));
    DatabaseConfig database = cortex.database();
    String url = EmbeddedEngine.jdbcUrl(cortex, CortexSettings.dataDir(environment));
    PooledDataSource dataSource = new PooledDataSource(EmbeddedEngine.jdbcDriver(url), url, database.username(),
        database.password());
    dataSource.setPoolMaximumActiveConnections(20);
    dataSource.setPoolMaximumIdleConnections(10);
    return dataSource;
  }

  /** HTTP Basic against the engine's users for the engine REST API, as Camunda documents it. */
  @Bean
  FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(Environment environment) {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("cortex-engine-rest-authentication");
    registration.addUrlPatterns(environment.getProperty("spring.jersey.application-path", "/engine-rest") + "/*");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
    return registration;
  }

  /** The first administrator (Cortex's processes are deployed by the starter). */
  @Bean
  ApplicationRunner cortexFirstAdministrator(ProcessEngine engine, Environment environment) {
    return args -> {
      AdminUser.ensure(engine, environment.getProperty("cortex.admin.user"),
          environment.getProperty("cortex.admin.password"), CortexSettings.dataDir(environment), System.out);
    };
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready(ApplicationReadyEvent event) {
    Environment environment = event.getApplicationContext().getEnvironment();
    int port = event.getApplicationContext() instanceof WebServerApplicationContext web
        ? web.getWebServer().getPort() : environment.getProperty("server.port", Integer.class, 8080);
    ListenAddress listen = new ListenAddress(environment.getProperty("server.address"), port);
    String base = listen.baseUrl();
    String webapp = environment.getProperty("camunda.bpm.webapp.application-path", "/camunda");
    PrintStream out = System.out;
    listen.warning().forEach(System.err::println);
    if (!listen.loopbackOnly()) {
      LOG.warn("Cortex server listens on {}: other machines can connect (docs/server.md, \"Exposing the server\")",
          listen.reach());
    }
    out.println("Cortex server is running.");
    out.println("  Listening on              " + listen.reach());
    out.println("  Cockpit, Tasklist, Admin  " + base + webapp + "/app/");
    out.println("  Engine REST API           " + base + environment.getProperty("spring.jersey.application-path",
        "/engine-rest") + "  (HTTP Basic)");
    out.println("  Cortex REST API           " + base + "/cortex-rest" + "  (HTTP Basic or the Cockpit login)");
    out.println("  Data                      " + CortexSettings.dataDir(environment));
    out.println("Stop it with Ctrl-C.");
    out.flush();
    LOG.info("Cortex server ready on {}", listen.reach());
  }
}
