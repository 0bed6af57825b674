package io.cortex.config;

import io.cortex.text.Echo;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings a configured {@code database.url} may not carry: those that make the driver run SQL, read or write files,
 * or load classes when the connection opens. Cortex opens that URL with the rights of the user who runs it (a CLI
 * call, the server), so such a URL would run whatever it names: H2's {@code INIT=RUNSCRIPT FROM '/etc/passwd'}
 * read the file and printed its lines in the error.
 */
final class JdbcUrlRules {

  /** H2 settings ({@code ;NAME=value}) that run SQL when the database opens or instantiate a class by name. */
  private static final List<String> H2_REFUSED = List.of("INIT", "DATABASE_EVENT_LISTENER", "JAVA_OBJECT_SERIALIZER",
      "AUTHENTICATOR", "CIPHER_KEY_FILE");
  /** PostgreSQL driver properties ({@code ?name=value&…}) that load a class by name or write a file. */
  private static final List<String> POSTGRES_REFUSED = List.of("socketFactory", "socketFactoryArg", "sslfactory",
      "sslfactoryarg", "sslhostnameverifier", "sslpasswordcallback", "authenticationPluginClassName", "loggerFile",
      "loggerLevel");
  private static final Pattern H2_SETTING = Pattern.compile(";\\s*([A-Za-z_]+)\\s*=");
  private static final Pattern POSTGRES_PROPERTY = Pattern.compile("[?&]\\s*([A-Za-z_]+)\\s*=");

  private JdbcUrlRules() {
  }

  /** Why {@code url} is refused (naming the setting), or empty when it carries no refused setting. */
  static Optional<String> problem(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:h2:")) {
      Matcher m = H2_SETTING.matcher(url);
      while (m.find()) {
        String name = m.group(1).toUpperCase(Locale.ROOT);
        if (H2_REFUSED.contains(name)) {
          return refused(url, name, name.equals("INIT") ? "it runs SQL every time the database opens"
              : "it makes the driver load a class or file by name");
        }
      }
      if (lower.contains("runscript")) {
        return refused(url, "RUNSCRIPT", "it runs a SQL script from a file or URL");
      }
    } else if (lower.startsWith("jdbc:postgresql:")) {
      Matcher m = POSTGRES_PROPERTY.matcher(url);
      while (m.find()) {
        String name = m.group(1);
        if (POSTGRES_REFUSED.stream().anyMatch(name::equalsIgnoreCase)) {
          return refused(url, name, "it makes the driver load a class or write a file by name");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refused(String url, String setting, String why) {
    return Optional.of("the setting " + setting + " is refused in " + Echo.quoted(url) + ": "
        + why + ", with the rights of whoever runs Cortex. Remove it from the URL; create what the database needs"
        + " beforehand with the database's own tools (docs/configuration.md, \"Database URL\")");
  }
}
