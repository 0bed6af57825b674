package io.cortex.bench;

import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.engine.EmbeddedEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

/**
 * A prototype, not a Cortex command: what {@code cortex checkpoints} would cost in a new JVM if
 * read-only commands read the catalogue over plain JDBC instead of booting the engine.
 *
 * <pre>java -cp CLASSPATH io.cortex.bench.CliJdbcProbe DATA_DIR SESSION</pre>
 */
public final class CliJdbcProbe {

  private CliJdbcProbe() {
  }

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection(EmbeddedEngine.h2Url(Path.of(args[0])),
        io.cortex.config.DatabaseConfig.DEFAULT_USERNAME, "")) {
      List<Checkpoint> checkpoints = new Catalogue(connection).checkpoints(args[1]);
      for (Checkpoint c : checkpoints) {
        System.out.println(c.checkpointId() + " " + c.type() + " " + c.shortSnapshot() + " " + c.createdAt());
      }
    }
  }
}
