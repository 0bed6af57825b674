package io.cortex.config;

import io.cortex.text.Echo;
import java.util.regex.Pattern;

/**
 * The HTTP server ({@code server} section).
 *
 * @param port TCP port to listen on, between 1 and 65535
 * @param address the address to listen on (an IP address or host name; {@code 0.0.0.0} or {@code ::} for every
 *     interface), or {@code null} when not configured: then Spring's {@code server.address} decides, which the server
 *     sets to {@value #DEFAULT_ADDRESS}, this machine only
 */
public record ServerConfig(int port, String address) {

  public static final int DEFAULT_PORT = 8080;
  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65_535;
  /** Loopback: a tool that rolls repositories back and runs gate commands is not exposed unless asked to be. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1";
  static final String ADDRESS_RULE = "an IP address or host name, e.g. 127.0.0.1 (this machine only) or 0.0.0.0"
      + " (every interface)";
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,255}");

  public ServerConfig {
    Ranges.requireInteger("server.port", port, MIN_PORT, MAX_PORT);
    if (address != null) {
      address = address.strip();
      String problem = addressProblem(address);
      if (problem != null) {
        throw ConfigException.invalidValue("server.address: " + problem);
      }
    }
  }

  /** Port {@code port}, the address not configured. */
  public ServerConfig(int port) {
    this(port, null);
  }

  /** Port 8080, the address not configured (loopback). */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_PORT, null);
  }

  /** Why {@code address} is not a listen address, or {@code null} when it is one. */
  static String addressProblem(String address) {
    return ADDRESS.matcher(address).matches() ? null : "expected " + ADDRESS_RULE + ", got " + Echo.quoted(address);
  }
}
