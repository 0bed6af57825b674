package io.cortex.config;

import io.cortex.text.Echo;

/**
 * Where Cortex and the Camunda engine keep their tables ({@code database} section).
 *
 * <p>An empty {@code url} selects the embedded H2 file database in the data directory; a
 * {@code jdbc:postgresql:} URL is meant for clusters. {@code toString()} never shows the password.
 *
 * @param url JDBC URL, or {@code ""} (also given as {@code null} or blank) for embedded H2
 * @param username database user, {@value #DEFAULT_USERNAME} when {@code null}
 * @param password database password, empty when {@code null}
 */
public record DatabaseConfig(String url, String username, String password) {

  public static final String DEFAULT_URL = "";
  public static final String DEFAULT_USERNAME = "sa";
  public static final String DEFAULT_PASSWORD = "";
  static final String JDBC_PREFIX = "jdbc:";

  public DatabaseConfig {
    url = url == null ? DEFAULT_URL : url.strip();
    username = username == null ? DEFAULT_USERNAME : username;
    password = password == null ? DEFAULT_PASSWORD : password;
    if (!url.isEmpty() && !url.startsWith(JDBC_PREFIX)) {
      throw ConfigException.invalidValue("database.url: " + urlRule() + ", got " + Echo.quoted(url));
    }
    JdbcUrlRules.problem(url).ifPresent(problem -> {
      throw ConfigException.invalidValue("database.url: " + problem);
    });
  }

  /** The embedded H2 database as user {@code sa} with an empty password. */
  public static DatabaseConfig defaults() {
    return new DatabaseConfig(DEFAULT_URL, DEFAULT_USERNAME, DEFAULT_PASSWORD);
  }

  /** Whether the embedded H2 file database in the data directory is used (the url is empty). */
  public boolean embedded() {
    return url.isEmpty();
  }

  static String urlRule() {
    return "expected a JDBC URL starting with '" + JDBC_PREFIX
        + "', or nothing for the embedded H2 database";
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + url + ", username=" + username + ", password="
        + (password.isEmpty() ? "" : "****") + "]";
  }
}
