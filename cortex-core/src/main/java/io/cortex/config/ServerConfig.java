package io.cortex.config;

/**
 * The HTTP server ({@code server} section).
 *
 * @param port TCP port to listen on, between 1 and 65535
 */
public record ServerConfig(int port) {

  public static final int DEFAULT_PORT = 8080;
  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65_535;

  public ServerConfig {
    Ranges.requireInteger("server.port", port, MIN_PORT, MAX_PORT);
  }

  /** Port 8080. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_PORT);
  }
}
