package io.cortex.session;

import io.cortex.base.CortexException;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.db.Transactions;
import io.cortex.git.CheckpointRef;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import io.cortex.lock.RepositoryLocks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes a session: its rows and refs together, under the repository's lock. The refs are deleted inside the
 * transaction that deletes the rows, after them: a ref that cannot be deleted rolls the rows back, so the catalogue
 * never lists a checkpoint whose ref is gone.
 */
public final class Sessions {

  private final Transactions transactions;
  private final RepositoryLocks locks;
  private final Clock clock;

  public Sessions(Transactions transactions, RepositoryLocks locks, Clock clock) {
    this.transactions = transactions;
    this.locks = locks;
    this.clock = clock;
  }

  /**
   * Deletes {@code session} (or only says what would go, {@code dryRun}). The caller has made sure it is not
   * running, or cancelled it ({@code cancelledProcessInstance}).
   */
  public SessionDeletion delete(Session session, boolean dryRun, String cancelledProcessInstance, String actor) {
    if (dryRun) {
      return plan(session, true, cancelledProcessInstance);
    }
    return locks.withLock(session.repository(), "delete session " + session.sessionId(), () -> transactions.run(c -> {
      SessionDeletion plan = plan(session, false, cancelledProcessInstance);
      new Catalogue(c).deleteSession(session.sessionId());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("checkpoints", plan.checkpointIds());
      details.put("refs", plan.refs().size());
      details.put("repository", session.repository().toString());
      if (cancelledProcessInstance != null) {
        details.put("cancelledProcessInstance", cancelledProcessInstance);
      }
      new AuditLog(c).append(AuditAction.SESSION_DELETED, clock.instant(), session.sessionId(), actor, details,
          AuditOutcome.SUCCESS);
      if (!plan.refs().isEmpty()) {
        try (GitWorkspace git = GitWorkspace.open(session.repository())) {
          for (String ref : plan.refs()) {
            git.deleteRef(ref);
          }
        }
      }
      return plan;
    }));
  }

  private SessionDeletion plan(Session session, boolean dryRun, String cancelled) {
    List<Checkpoint> checkpoints = transactions.run(c -> new Catalogue(c).checkpoints(session.sessionId()));
    List<String> refs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try (GitWorkspace git = GitWorkspace.open(session.repository())) {
      for (CheckpointRef ref : git.checkpointRefs(session.sessionId())) {
        refs.add(CheckpointRefs.refName(ref.sessionId(), ref.checkpointId()));
      }
    } catch (CortexException e) {
      notes.add("repository " + session.repository() + " cannot be opened (" + e.getMessage() + "); its refs, if any,"
          + " stay: delete them with 'git update-ref -d' once it is back");
    }
    return new SessionDeletion(session.sessionId(), session.repository(), dryRun,
        checkpoints.stream().map(Checkpoint::checkpointId).toList(), refs, cancelled, notes);
  }
}
