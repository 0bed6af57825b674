package io.cortex;

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
import java.util.List;

/**
 * What can be read without an engine: sessions, checkpoints, the audit log and a session's git history. The
 * facade reads through it on its engine's transactions ({@link Cortex#reads()}); a short read-only CLI call
 * on a plain JDBC connection, without booting an engine.
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
