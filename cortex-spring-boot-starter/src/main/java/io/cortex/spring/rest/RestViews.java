package io.cortex.spring.rest;

import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.rollback.RollbackPreview;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.SafetyReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the Cortex REST API: the seed's snake_case field names, as the CLI's {@code --json}. */
final class RestViews {

  private RestViews() {
  }

  static Map<String, Object> checkpoint(Checkpoint c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", c.sessionId());
    m.put("checkpoint_id", c.checkpointId());
    m.put("phase", c.phase());
    m.put("type", c.type().name());
    m.put("commit_sha", c.snapshotCommit());
    m.put("short_sha", c.shortSnapshot());
    m.put("base_sha", c.baseCommit());
    m.put("created_at", c.createdAt().toString());
    m.put("metrics", c.metrics());
    return m;
  }

  static Map<String, Object> safety(SafetyReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("safe", report.safe());
    m.put("warning", report.warning());
    m.put("details", report.details());
    return m;
  }

  static Map<String, Object> preview(RollbackPreview p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("checkpoint_id", p.target().checkpointId());
    m.put("modified", p.modified());
    m.put("added", p.added());
    m.put("deleted", p.deleted());
    m.put("untracked_removed", p.untrackedRemoved());
    m.put("stat", p.stat());
    m.put("diff", p.diff());
    m.put("safety", safety(p.safety()));
    return m;
  }

  /** A rollback or undo that ran. */
  static Map<String, Object> executed(RollbackResult r, String message, String processInstanceId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executed", true);
    m.put("message", message);
    m.put("checkpoint_id", r.target().checkpointId());
    m.put("pre_rollback_checkpoint_id", r.preRollback().checkpointId());
    m.put("files_written", r.written());
    m.put("files_deleted", r.deleted());
    m.put("process_instance_id", processInstanceId);
    return m;
  }

  /** A dry run: the same fields with what would be written and deleted, plus the full preview. */
  static Map<String, Object> dryRun(RollbackPreview p, String processInstanceId) {
    List<String> written = new ArrayList<>(p.modified());
    written.addAll(p.added());
    List<String> deleted = new ArrayList<>(p.deleted());
    deleted.addAll(p.untrackedRemoved());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executed", false);
    m.put("message", "Dry run: rolling back session " + p.sessionId() + " to " + p.target().checkpointId() + " ("
        + p.target().shortSnapshot() + ") would write " + written.size() + " and delete " + deleted.size()
        + " file(s)" + (p.safety().safe() ? "" : "; the safety check refuses it now: " + p.safety().warning())
        + ". Nothing was changed.");
    m.put("checkpoint_id", p.target().checkpointId());
    m.put("pre_rollback_checkpoint_id", null);
    m.put("files_written", written);
    m.put("files_deleted", deleted);
    m.put("process_instance_id", processInstanceId);
    m.put("preview", preview(p));
    return m;
  }

  static Map<String, Object> audit(AuditEntry e) {
    return e.toJson();
  }

  static Map<String, Object> error(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    return m;
  }
}
