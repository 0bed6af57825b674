package io.cortex.spring;

import io.cortex.config.ConfigLocator;
import io.cortex.config.CortexConfig;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Where a Spring application finds Cortex's state, from Spring properties (environment variables bind by
 * Spring's relaxed rules, so {@code CORTEX_DATA} is {@code cortex.data}):
 * <ul>
 *   <li>{@value #HOME} — the Cortex home (the {@code ./cortex} launcher sets {@code -Dcortex.home}), else the
 *       working directory;</li>
 *   <li>{@value #DATA} — the data directory (H2 database, {@code admin-password.txt}), else {@code <home>/data},
 *       the same default as the CLI;</li>
 *   <li>{@value #CONFIG} — the configuration file, else {@code <home>/config/cortex.yaml} if it exists, else the
 *       built-in defaults.</li>
 * </ul>
 */
public final class CortexSettings {

  public static final String HOME = "cortex.home";
  public static final String DATA = "cortex.data";
  public static final String CONFIG = "cortex.config";

  private CortexSettings() {
  }

  public static Path home(Environment environment) {
    String home = environment.getProperty(HOME);
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  public static Path dataDir(Environment environment) {
    String data = environment.getProperty(DATA);
    return data == null || data.isBlank() ? home(environment).resolve("data")
        : Path.of(data).toAbsolutePath().normalize();
  }

  /** Loads and validates the configuration file (every invalid key reported at once, as the CLI does). */
  public static CortexConfig config(Environment environment) {
    String file = environment.getProperty(CONFIG);
    // The environment map is empty on purpose: CORTEX_CONFIG already reached us as cortex.config.
    return ConfigLocator.loadEffective(file == null || file.isBlank() ? null : Path.of(file), Map.of(),
        home(environment));
  }
}
