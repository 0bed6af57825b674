package io.cortex.spring.flyway;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

/**
 * Keeps Spring Boot's Flyway auto-configuration as it was before Cortex came onto the class path. Cortex migrates its
 * own tables with Flyway ({@code io.cortex.db.CortexSchema}, its own history table), which puts {@code flyway-core}
 * on the host's class path; Boot would then run Flyway on the host's database with {@code classpath:db/migration}
 * and, on a database that already has tables (Camunda's) but no {@code flyway_schema_history}, stop the application
 * with "Found non-empty schema(s) … but no schema history table".
 *
 * <p>So when the host has not configured Flyway at all — no {@code spring.flyway.*} property and no scripts under
 * {@code db/migration} — this sets {@code spring.flyway.enabled=false} as the lowest-precedence default. Any setting of
 * the host's wins, and a host with its own migrations is not touched.
 */
public final class CortexFlywayDefaults implements EnvironmentPostProcessor {

  static final String ENABLED = "spring.flyway.enabled";
  static final String SOURCE = "cortexFlywayDefaults";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    ResourceLoader loader = application.getResourceLoader() != null ? application.getResourceLoader()
        : new DefaultResourceLoader(application.getClassLoader());
    apply(environment, loader);
  }

  static void apply(ConfigurableEnvironment environment, ResourceLoader loader) {
    boolean configured = environment.containsProperty(ENABLED) || environment.containsProperty("spring.flyway.locations")
        || environment.containsProperty("spring.flyway.url");
    boolean hostMigrations = loader.getResource("classpath:db/migration").exists();
    if (!configured && !hostMigrations) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(ENABLED, "false")));
    }
  }
}
