package io.cortex.spring.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

/** Boot's Flyway is off only where Cortex's dependency alone would have switched it on. */
class CortexFlywayDefaultsTest {

  @TempDir
  Path temp;

  @Test
  void aHostThatDoesNotUseFlywayKeepsItOff() {
    // given
    StandardEnvironment environment = new StandardEnvironment();

    // when
    CortexFlywayDefaults.apply(environment, new DefaultResourceLoader());

    // then
    assertThat(environment.getProperty(CortexFlywayDefaults.ENABLED)).isEqualTo("false");
  }

  @Test
  void aHostsOwnSettingWins() {
    // given
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("host", Map.of("spring.flyway.enabled", "true")));

    // when
    CortexFlywayDefaults.apply(environment, new DefaultResourceLoader());

    // then
    assertThat(environment.getProperty(CortexFlywayDefaults.ENABLED)).isEqualTo("true");
    assertThat(environment.getPropertySources().contains(CortexFlywayDefaults.SOURCE)).isFalse();
  }

  @Test
  void aHostWithItsOwnMigrationsIsNotTouched() throws Exception {
    // given: db/migration on the host's class path
    Files.createDirectories(temp.resolve("db/migration"));
    Files.writeString(temp.resolve("db/migration/V1__host.sql"), "CREATE TABLE HOST_TABLE (ID INT);\n");
    StandardEnvironment environment = new StandardEnvironment();
    try (URLClassLoader host = new URLClassLoader(new URL[] {temp.toUri().toURL()}, getClass().getClassLoader())) {
      // when
      CortexFlywayDefaults.apply(environment, new DefaultResourceLoader(host));
    }

    // then
    assertThat(environment.containsProperty(CortexFlywayDefaults.ENABLED)).isFalse();
  }
}
