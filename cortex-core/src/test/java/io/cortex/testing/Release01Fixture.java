package io.cortex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The data directory and repositories Cortex 0.1 made (src/test/resources/io/cortex/upgrade/README.md), unpacked into
 * a folder of the test's. The only change to the old data: the absolute repository paths the catalogue and the process
 * variables hold are moved from where the fixture was made to where it is unpacked, as a user moving both would.
 */
public record Release01Fixture(Path root, Path data, Path repo, Path damaged) {

  public static final String SESSION = "calc-001";
  public static final String DAMAGED_SESSION = "slfs";
  private static final String ARCHIVE = "/io/cortex/upgrade/release-0.1-fixture.tar.gz";

  /** Unpacks the fixture under {@code parent} (the data directory, both repositories). */
  public static Release01Fixture unpack(Path parent) {
    try {
      Path root = Files.createDirectories(parent.resolve("release-0.1"));
      Path archive = root.resolve("fixture.tar.gz");
      try (InputStream in = Release01Fixture.class.getResourceAsStream(ARCHIVE)) {
        Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
      }
      Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", root.toString())
          .redirectErrorStream(true).start();
      String output = new String(tar.getInputStream().readAllBytes());
      if (tar.waitFor() != 0) {
        throw new IllegalStateException("tar failed: " + output);
      }
      Files.delete(archive);
      Release01Fixture fixture = new Release01Fixture(root, root.resolve("data"), root.resolve("repo"),
          root.resolve("damaged"));
      fixture.moveRepositoryPaths(Files.readString(root.resolve("fixture-root.txt")).strip());
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The JDBC URL of the fixture's H2 database (no engine may have it open). */
  public String h2Url() {
    return "jdbc:h2:file:" + data.resolve("cortex").toAbsolutePath();
  }

  /** What 0.1's rebuild printed on the damaged repository. */
  public String oldRebuildOutput() {
    try {
      return Files.readString(root.resolve("old-rebuild.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void moveRepositoryPaths(String madeAt) {
    String now = root.toAbsolutePath().normalize().toString();
    try (Connection c = DriverManager.getConnection(h2Url(), "sa", ""); Statement s = c.createStatement()) {
      for (String column : new String[] {"CORTEX_SESSION.REPO_PATH_", "CORTEX_REPO_LOCK.REPO_PATH_",
          "CORTEX_INTENT.REPO_PATH_", "ACT_RU_VARIABLE.TEXT_", "ACT_HI_VARINST.TEXT_", "ACT_HI_DETAIL.TEXT_"}) {
        String table = column.substring(0, column.indexOf('.'));
        String name = column.substring(column.indexOf('.') + 1);
        s.executeUpdate("UPDATE " + table + " SET " + name + " = REPLACE(" + name + ", '" + madeAt + "', '"
            + now.replace("'", "''") + "') WHERE " + name + " LIKE '" + madeAt + "%'");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not move the fixture's repository paths: " + e.getMessage(), e);
    }
  }
}
