package io.cortex.cli;

import io.cortex.checkpoint.Checkpoint;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How the CLI shows checkpoints as text: an aligned table (JSON: {@link io.cortex.views.JsonViews#checkpoint}). */
final class CheckpointView {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private CheckpointView() {
  }

  static String table(List<Checkpoint> checkpoints) {
    StringBuilder out = new StringBuilder(String.format("%-24s %-16s %-15s %-8s %-20s %s%n",
        "CHECKPOINT", "TYPE", "PHASE", "COMMIT", "CREATED (UTC)", "METRICS"));
    for (Checkpoint c : checkpoints) {
      out.append(String.format("%-24s %-16s %-15s %-8s %-20s %s%n", c.checkpointId(), c.type(),
          c.phase() == null ? "-" : c.phase(), c.shortSnapshot(), TIME.format(c.createdAt()),
          c.metrics().isEmpty() ? "" : io.cortex.base.Json.write(c.metrics())));
      c.skipped().forEach(s -> out.append(String.format("%-24s   skipped %s (%s)%n", "", s.path(), s.reason())));
    }
    return out.toString();
  }
}
