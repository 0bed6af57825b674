package io.cortex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocatorTest {

  @TempDir Path home;

  private Path homeConfig() throws Exception {
    Path file = home.resolve("config/cortex.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "server:\n  port: 1111\n", StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void commandLineFileComesFirst() throws Exception {
    // given
    homeConfig();
    Path cli = Path.of("cli.yaml");

    // when / then
    assertThat(ConfigLocator.locate(cli, Map.of("CORTEX_CONFIG", "env.yaml"), home)).contains(cli);
  }

  @Test
  void environmentVariableComesBeforeTheHomeDirectory() throws Exception {
    // given
    homeConfig();

    // when / then
    assertThat(ConfigLocator.locate(null, Map.of("CORTEX_CONFIG", "env.yaml"), home))
        .contains(Path.of("env.yaml"));
  }

  @Test
  void homeDirectoryFileIsUsedWhenNothingIsNamed() throws Exception {
    // given
    Path file = homeConfig();

    // when
    CortexConfig config = ConfigLocator.loadEffective(null, Map.of("CORTEX_CONFIG", " "), home);

    // then
    assertThat(ConfigLocator.locate(null, Map.of(), home)).contains(file);
    assertThat(config.server().port()).isEqualTo(1111);
  }

  @Test
  void builtInDefaultsApplyWhenNoFileIsFound() {
    // when
    CortexConfig config = ConfigLocator.loadEffective(null, Map.of(), home);

    // then
    assertThat(ConfigLocator.locate(null, Map.of(), home)).isEmpty();
    assertThat(config).isEqualTo(CortexConfig.defaults());
  }

  @Test
  void namedFileThatDoesNotExistIsAnError() {
    // given
    Path missing = home.resolve("missing.yaml");

    // when / then
    assertThatThrownBy(() -> ConfigLocator.loadEffective(missing, Map.of(), home))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }
}
