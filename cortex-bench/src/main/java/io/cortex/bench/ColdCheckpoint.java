package io.cortex.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * One checkpoint in a fresh JVM (launched by the harness): prints the JVM's uptime when main
 * started, the checkpoint's own time and its split, then exits.
 *
 * <pre>java -cp CLASSPATH io.cortex.bench.ColdCheckpoint REPO SESSION ID</pre>
 */
public final class ColdCheckpoint {

  private ColdCheckpoint() {
  }

  public static void main(String[] args) {
    long mainStart = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    CortexGit.Breakdown breakdown = new CortexGit.Breakdown();
    String commit = CortexGit.checkpoint(Path.of(args[0]), args[1], args[2], breakdown);
    double ms = (System.nanoTime() - t0) / 1e6;
    double[] split = breakdown.samples.get(0);
    System.out.printf(java.util.Locale.ROOT, "cold jvm_ms_before_main=%d checkpoint_ms=%.2f open=%.2f capture=%.2f commit=%.2f ref=%.2f commit_id=%s%n",
        mainStart, ms, split[0], split[1], split[2], split[3], commit);
  }
}
