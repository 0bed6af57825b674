package io.cortex.checkpoint;

import io.cortex.base.CortexException;
import io.cortex.base.Json;
import io.cortex.git.SkippedPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commit message of a snapshot: a one-line subject, a blank line, then the checkpoint's
 * metadata as JSON. It makes the catalogue rebuildable from the repository alone.
 */
public final class SnapshotMessage {

  private SnapshotMessage() {
  }

  /** Everything of the checkpoint except the snapshot commit (the commit's own id) and the hash; format 1. */
  public static String format(Checkpoint c) {
    return format(c, 1);
  }

  /**
   * Everything of the checkpoint except the snapshot commit (the commit's own id) and the hash, with the snapshot
   * format of the commit ({@code snapshotFormat}: 2 when the commit carries the state beside the working tree —
   * index, flags, permissions, raw bytes, sparse patterns, HEAD; absent in checkpoints written before formats
   * were numbered, which are format 1). See docs/architecture.md, "Snapshot formats".
   */
  public static String format(Checkpoint c, int snapshotFormat) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("snapshotFormat", snapshotFormat);
    meta.put("sessionId", c.sessionId());
    meta.put("checkpointId", c.checkpointId());
    meta.put("sequence", c.sequence());
    meta.put("type", c.type().name());
    meta.put("phase", c.phase());
    meta.put("processInstanceId", c.processInstanceId());
    meta.put("activityInstanceId", c.activityInstanceId());
    meta.put("baseCommit", c.baseCommit());
    meta.put("branch", c.branch());
    meta.put("createdAt", c.createdAt().toString());
    meta.put("metrics", c.metrics());
    meta.put("skipped", c.skipped());
    String subject = "cortex checkpoint " + c.sessionId() + "/" + c.checkpointId() + " (" + c.type()
        + (c.phase() != null ? " " + c.phase() : "") + ")";
    return subject + "\n\n" + Json.write(meta) + "\n";
  }

  /** Reads a checkpoint back from a snapshot commit's message. */
  @SuppressWarnings("unchecked")
  public static Checkpoint parse(String message, String snapshotCommit) {
    int start = message.indexOf("\n\n");
    if (!message.startsWith("cortex checkpoint ") || start < 0) {
      throw new CortexException("Commit " + snapshotCommit + " is not a Cortex snapshot (no checkpoint metadata in its message)");
    }
    Map<String, Object> meta = Json.readObject(message.substring(start + 2).trim(), "Metadata of snapshot " + snapshotCommit);
    List<SkippedPath> skipped = new ArrayList<>();
    for (Object o : (List<Object>) meta.getOrDefault("skipped", List.of())) {
      Map<String, Object> s = (Map<String, Object>) o;
      skipped.add(new SkippedPath((String) s.get("path"), SkippedPath.Reason.valueOf((String) s.get("reason")),
          ((Number) s.getOrDefault("sizeBytes", 0)).longValue()));
    }
    Checkpoint withoutHash = new Checkpoint((String) meta.get("sessionId"), (String) meta.get("checkpointId"),
        ((Number) meta.get("sequence")).longValue(), CheckpointType.valueOf((String) meta.get("type")),
        (String) meta.get("phase"), (String) meta.get("processInstanceId"), (String) meta.get("activityInstanceId"),
        (String) meta.get("baseCommit"), snapshotCommit, (String) meta.get("branch"),
        Instant.parse((String) meta.get("createdAt")), (Map<String, Object>) meta.get("metrics"), skipped, null);
    return withHash(withoutHash);
  }

  static Checkpoint withHash(Checkpoint c) {
    return new Checkpoint(c.sessionId(), c.checkpointId(), c.sequence(), c.type(), c.phase(), c.processInstanceId(),
        c.activityInstanceId(), c.baseCommit(), c.snapshotCommit(), c.branch(), c.createdAt(), c.metrics(),
        c.skipped(), IntegrityHash.of(c));
  }
}
