package io.cortex.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy of the embedded H2 database taken while it is known good (its {@link HighWaterMark} holds): H2's online
 * {@code BACKUP TO}, a zip holding {@code cortex.mv.db}, in {@code <data>/backup/cortex-last-good.zip}; the copy
 * before it is kept as {@code cortex-previous.zip}. The resident process takes one when it stops and, while
 * commands write, at most every {@link #INTERVAL}. docs/reliability.md says how to restore it.
 */
public final class LastGoodCopy {

  /** How often at most a resident process copies a database that has changed. */
  public static final java.time.Duration INTERVAL = java.time.Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(LastGoodCopy.class);

  private final Path directory;

  private LastGoodCopy(Path directory) {
    this.directory = directory;
  }

  public static LastGoodCopy in(Path dataDir) {
    return new LastGoodCopy(dataDir.resolve("backup"));
  }

  public Path latest() {
    return directory.resolve("cortex-last-good.zip");
  }

  /** Copies the database (H2 only); never throws: a failed copy leaves the previous one and logs why. */
  public boolean take(Transactions transactions) {
    Path tmp = directory.resolve("cortex-copy.tmp.zip");
    try {
      Files.createDirectories(directory);
      Files.deleteIfExists(tmp);
      transactions.run(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("BACKUP TO '" + tmp.toString().replace("'", "''") + "'");
          return null;
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      });
      if (Files.exists(latest())) {
        Files.move(latest(), directory.resolve("cortex-previous.zip"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, latest(), StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("CORTEX-DAEMON-004 The copy of the database into {} failed: {}", latest(), e.getMessage());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // left for the next copy to replace
      }
      return false;
    }
  }
}
