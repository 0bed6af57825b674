package io.cortex.cli;

import io.cortex.checkpoint.Checkpoint;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the CLI shows checkpoints: the seed's JSON field names, or an aligned table. */
final class CheckpointView {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private CheckpointView() {
  }

  static Map<String, Object> json(Checkpoint c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", c.sessionId());
    m.put("checkpoint_id", c.checkpointId());
    m.put("phase", c.phase());
    m.put("type", c.type().name());
    m.put("commit_sha", c.snapshotCommit());
    m.put("base_sha", c.baseCommit());
    m.put("created_at", c.createdAt().toString());
    m.put("metrics", c.metrics());
    if (!c.skipped().isEmpty()) {
      m.put("skipped", c.skipped());
    }
    return m;
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
