package io.cortex.engine;

import io.cortex.config.ConfigLoader;
import io.cortex.config.CortexConfig;
import java.nio.file.Path;

/** The configuration of a plugin built from XML: the file its {@code configFile} property names, else the defaults. */
final class PluginConfiguration {

  private PluginConfiguration() {
  }

  static CortexConfig load(String configFile) {
    return configFile == null || configFile.isBlank() ? CortexConfig.defaults() : ConfigLoader.load(Path.of(configFile.strip()));
  }
}
