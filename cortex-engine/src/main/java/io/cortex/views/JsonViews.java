package io.cortex.views;

import io.cortex.SessionStatus;
import io.cortex.audit.AuditEntry;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.git.DiffResult;
import io.cortex.rollback.Refusal;
import io.cortex.rollback.RollbackPreview;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.SafetyReport;
import io.cortex.rollback.command.ParsedCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of each Cortex value, shared by the CLI's {@code --json} and the REST API: camelCase keys,
 * as Camunda's own REST API. Written by {@link io.cortex.base.Json}; times are ISO-8601 instants.
 *
 * <pre>{@code
 * out.println(Json.writePretty(cortex.checkpoints("feature-auth-001").stream().map(JsonViews::checkpoint).toList()));
 * }</pre>
 *
 * <p>The export file ({@code phase-checkpoints-<session>.json}) is a file format of its own and keeps its
 * snake_case names; see {@link io.cortex.checkpoint.SeedFile}.
 */
public final class JsonViews {

  private JsonViews() {
  }

  public static Map<String, Object> checkpoint(Checkpoint c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessionId", c.sessionId());
    m.put("checkpointId", c.checkpointId());
    m.put("phase", c.phase());
    m.put("type", c.type().name());
    m.put("commitSha", c.snapshotCommit());
    m.put("shortSha", c.shortSnapshot());
    m.put("baseSha", c.baseCommit());
    m.put("createdAt", c.createdAt());
    m.put("metrics", c.metrics());
    m.put("skipped", c.skipped().stream().map(s -> Map.of("path", s.path(), "reason", s.reason().name(),
        "sizeBytes", s.sizeBytes())).toList());
    return m;
  }

  public static List<Map<String, Object>> checkpoints(List<Checkpoint> checkpoints) {
    return checkpoints.stream().map(JsonViews::checkpoint).toList();
  }

  /**
   * A session as a list shows it. {@code origin}: {@code workflow} (started here), {@code rebuilt} (restored from
   * the repository's refs: no workflow known) or {@code imported} (from an export file: no process instance).
   */
  public static Map<String, Object> session(Session s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessionId", s.sessionId());
    m.put("workflow", s.processDefinitionKey());
    m.put("origin", origin(s));
    m.put("processInstanceId", s.processInstanceId());
    m.put("repository", s.repository().toString());
    m.put("createdAt", s.createdAt());
    return m;
  }

  /** How a session came into this catalogue; see {@link #session}. */
  public static String origin(Session s) {
    if (s.processDefinitionKey() != null) {
      return "workflow";
    }
    return s.processInstanceId() != null ? "rebuilt" : "imported";
  }

  public static Map<String, Object> status(SessionStatus status) {
    Map<String, Object> m = session(status.session());
    m.put("running", status.running());
    m.put("activePhases", status.activePhases());
    m.put("checkpoints", checkpoints(status.checkpoints()));
    return m;
  }

  /** The safety check's report, exactly {@code {safe, warning, details}}. */
  public static Map<String, Object> safety(SafetyReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("safe", report.safe());
    m.put("warning", report.warning());
    m.put("details", report.details());
    return m;
  }

  /** The refusals behind a report: {@code [{kind, message, bypassable}]}. */
  public static List<Map<String, Object>> refusals(SafetyReport report) {
    return report.refusals().stream().map(JsonViews::refusal).toList();
  }

  private static Map<String, Object> refusal(Refusal r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", r.kind().name());
    m.put("message", r.message());
    m.put("bypassable", r.bypassable());
    return m;
  }

  public static Map<String, Object> preview(RollbackPreview p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessionId", p.sessionId());
    m.put("checkpointId", p.target().checkpointId());
    m.put("modified", p.modified());
    m.put("added", p.added());
    m.put("deleted", p.deleted());
    m.put("untrackedRemoved", p.untrackedRemoved());
    m.put("permissionsChanged", p.permissionsChanged());
    m.put("indexChanges", p.indexChanges());
    m.put("leftAlone", p.leftAlone());
    m.put("keptIgnored", p.keptIgnored());
    m.put("conflicts", p.conflicts());
    m.put("stat", p.stat());
    m.put("diff", p.diff());
    m.put("safety", safety(p.safety()));
    return m;
  }

  /** A rollback or undo that ran. */
  public static Map<String, Object> result(RollbackResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("executed", true);
    m.put("undo", r.undo());
    m.put("message", r.message());
    m.put("sessionId", r.sessionId());
    m.put("checkpointId", r.target().checkpointId());
    m.put("preRollbackCheckpointId", r.preRollback().checkpointId());
    m.put("filesWritten", r.written());
    m.put("filesDeleted", r.deleted());
    m.put("leftAlone", r.leftAlone());
    return m;
  }

  /** A parsed rollback command: {@code {valid, checkpointId, sessionId, flags: {dryRun, force}, error}}. */
  public static Map<String, Object> command(ParsedCommand c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", c.valid());
    m.put("checkpointId", c.checkpointId());
    m.put("sessionId", c.sessionId());
    m.put("flags", Map.of("dryRun", c.flags().dryRun(), "force", c.flags().force()));
    m.put("error", c.error());
    return m;
  }

  public static Map<String, Object> audit(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entryId", e.entryId());
    m.put("action", e.action().name());
    m.put("timestamp", e.timestamp());
    m.put("sessionId", e.sessionId());
    m.put("actor", e.actor());
    m.put("details", e.details());
    m.put("outcome", e.outcome().name());
    return m;
  }

  /** A diff between two checkpoints; the patch only when asked for ({@code diff --stat} leaves it out). */
  public static Map<String, Object> diff(String from, String to, DiffResult diff, boolean withPatch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from);
    m.put("to", to);
    m.put("filesChanged", diff.changes().size());
    m.put("insertions", diff.insertions());
    m.put("deletions", diff.deletions());
    m.put("changes", diff.changes());
    if (withPatch) {
      m.put("patch", diff.patch());
    }
    return m;
  }
}
