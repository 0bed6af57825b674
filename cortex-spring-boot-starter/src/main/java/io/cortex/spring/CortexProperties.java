package io.cortex.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cortex's settings in a Spring Boot application ({@code application.yaml}, environment variables by Spring's
 * relaxed rules: {@code CORTEX_CONFIG} is {@code cortex.config}). What Cortex does — retries, retention, gates — is
 * in its own YAML file, {@link #config()}; these only say where things are and which parts run.
 *
 * @param enabled whether Cortex joins the application's engine at all
 * @param config the Cortex configuration file (docs/configuration.md); unset: {@code <home>/config/cortex.yaml}
 *     if it exists, else the built-in defaults
 * @param home the Cortex home, where {@code config/} and {@code data/} are looked for; unset: the working directory
 * @param data the data directory (the embedded H2 database of {@code ./cortex serve}, the first administrator's
 *     password); unset: {@code <home>/data}
 * @param deployProcesses whether Cortex deploys its processes and forms at start-up (the three workflows, the
 *     recovery, retention and auto-checkpoint processes, the operator's decision form); unchanged files are not
 *     deployed again
 * @param rest the Cortex REST API
 */
@ConfigurationProperties(prefix = "cortex")
public record CortexProperties(@DefaultValue("true") boolean enabled, String config, String home, String data,
                               @DefaultValue("true") boolean deployProcesses, @DefaultValue Rest rest) {

  /**
   * @param enabled whether {@code /cortex-rest} is served (it needs Camunda's webapp starter, whose login the
   *     Cockpit tab uses)
   */
  public record Rest(@DefaultValue("true") boolean enabled) {
  }
}
