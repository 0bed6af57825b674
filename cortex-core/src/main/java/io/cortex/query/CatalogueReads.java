package io.cortex.query;

import io.cortex.audit.AuditEntry;
import io.cortex.audit.AuditLog;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Ids;
import io.cortex.checkpoint.Session;
import io.cortex.checkpoint.SessionNotFoundException;
import io.cortex.db.Transactions;
import io.cortex.git.CommitHistory;
import io.cortex.git.CommitHistory.CommitInfo;
import io.cortex.git.GitWorkspace;
import io.cortex.rollback.command.Flags;
import io.cortex.rollback.command.ParsedCommand;
import io.cortex.rollback.command.Target;
import io.cortex.rollback.command.TargetResolver;
import java.util.List;
import java.util.Map;

/**
 * What can be read without an engine: sessions, checkpoints, the audit log and a session's git history. The
 * Java API reads through it on its engine's transactions ({@code Cortex.reads()}), the engine's delegates on theirs.
 */
public final class CatalogueReads {

  private static final CommitHistory HISTORY = new CommitHistory();

  private final Transactions connections;

  /** @param connections gives the work a connection to the database with Cortex's tables */
  public CatalogueReads(Transactions connections) {
    this.connections = connections;
  }

  public Session session(String sessionId) {
    Ids.requireValidSessionId(sessionId);
    return connections.run(c -> new Catalogue(c).session(sessionId)).orElseThrow(() -> new SessionNotFoundException(sessionId));
  }

  public List<Session> sessions() {
    return connections.run(c -> new Catalogue(c).sessions());
  }

  /** The session's checkpoints, oldest first. */
  public List<Checkpoint> checkpoints(String sessionId) {
    session(sessionId);
    return connections.run(c -> new Catalogue(c).checkpoints(sessionId));
  }

  /**
   * One checkpoint of a session by its exact id; an unknown id gets the "Invalid checkpoint" error with the ids
   * there are and the closest match.
   */
  public Checkpoint checkpoint(String sessionId, String checkpointId) {
    Ids.requireValidCheckpointId(checkpointId);
    ParsedCommand exact = ParsedCommand.success(new Target.Exact(checkpointId), sessionId, Flags.none());
    return new TargetResolver().resolve(exact, Map.of(sessionId, checkpoints(sessionId)), Map.of()).checkpoint();
  }

  /** The newest {@code limit} audit entries, oldest first; of one session, or of all when it is null. */
  public List<AuditEntry> audit(String sessionId, int limit) {
    if (sessionId != null) {
      Ids.requireValidSessionId(sessionId);
    }
    return connections.run(c -> new AuditLog(c).entries(sessionId, limit));
  }

  /** The git history of the session's repository, newest first (cached per HEAD). */
  public List<CommitInfo> history(String sessionId, int maxCount) {
    try (GitWorkspace git = GitWorkspace.open(session(sessionId).repository())) {
      return HISTORY.log(git, maxCount);
    }
  }
}
