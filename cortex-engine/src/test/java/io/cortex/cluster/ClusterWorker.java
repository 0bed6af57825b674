package io.cortex.cluster;

import io.cortex.Cortex;
import io.cortex.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Another engine node in a process of its own, for {@link TwoNodeClusterTest}: starts the CLI's engine on the
 * configured database, says {@code READY}, waits for the go file, then takes {@code count} checkpoints of a
 * session, writing a file of its own in the repository before each, and says {@code DONE}.
 *
 * <p>Arguments: config file, data directory, session id, checkpoint id prefix, count, go file, repository.
 */
public final class ClusterWorker {

  private ClusterWorker() {
  }

  public static void main(String[] args) throws Exception {
    Path config = Path.of(args[0]);
    Path data = Path.of(args[1]);
    String session = args[2];
    String prefix = args[3];
    int count = Integer.parseInt(args[4]);
    Path go = Path.of(args[5]);
    Path repository = Path.of(args[6]);
    try (Cortex cortex = Cortex.start(ConfigLoader.load(config), data)) {
      Cortex worker = cortex.withActor("worker@" + prefix);
      System.out.println("READY");
      System.out.flush();
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!Files.exists(go) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      for (int i = 1; i <= count; i++) {
        Files.writeString(repository.resolve(prefix + ".txt"), prefix + " " + i + "\n");
        worker.createCheckpoint(session, prefix + "-" + i, Map.of("worker", prefix, "i", i));
      }
      System.out.println("DONE");
      System.out.flush();
    }
    System.exit(0);
  }
}
