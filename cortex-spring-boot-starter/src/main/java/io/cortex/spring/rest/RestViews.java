package io.cortex.spring.rest;

import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.rollback.RollbackPreview;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.SafetyReport;
import io.cortex.views.JsonViews;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the Cortex REST API: {@link JsonViews}' camelCase shapes, as the CLI's {@code --json}. */
final class RestViews {

  private RestViews() {
  }

  static Map<String, Object> checkpoint(Checkpoint c) {
    return JsonViews.checkpoint(c);
  }

  static Map<String, Object> safety(SafetyReport report) {
    return JsonViews.safety(report);
  }

  static Map<String, Object> preview(RollbackPreview p) {
    return JsonViews.preview(p);
  }

  /** A rollback or undo that ran, with the server's message and the process instance it concerned. */
  static Map<String, Object> executed(RollbackResult r, String message, String processInstanceId) {
    Map<String, Object> m = JsonViews.result(r);
    m.put("message", message);
    m.put("processInstanceId", processInstanceId);
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
    m.put("sessionId", p.sessionId());
    m.put("checkpointId", p.target().checkpointId());
    m.put("preRollbackCheckpointId", null);
    m.put("filesWritten", written);
    m.put("filesDeleted", deleted);
    m.put("processInstanceId", processInstanceId);
    m.put("preview", preview(p));
    return m;
  }

  static Map<String, Object> audit(AuditEntry e) {
    return JsonViews.audit(e);
  }

  static Map<String, Object> error(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    return m;
  }
}
