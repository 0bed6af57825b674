package io.cortex.server;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.engine.EngineTransaction;
import io.cortex.engine.RollbackRequestedDelegate;
import io.cortex.rollback.RollbackRefusedException;
import io.cortex.rollback.RollbackResult;
import io.cortex.rollback.SafetyReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * Rollback of a session for the REST API. A session whose process instance runs (and has the rollback event
 * subprocess) is rolled back <em>as BPMN</em>: the safety check runs first — a refusal is audited and
 * returned without touching the instance — then the message {@value RollbackRequestedDelegate#MESSAGE} is
 * correlated, the interrupting event subprocess runs "Roll back to checkpoint" in this thread, and the instance
 * waits in the restored checkpoint's phase; the rollback is in the instance's history. A session without a
 * running instance (ended, imported) is rolled back directly through the API.
 */
final class SessionRollbacks {

  /** A rollback that ran: the result, the instance it concerned and, through BPMN, the phase it waits in. */
  record Done(RollbackResult result, String processInstanceId, String phaseActivityId, boolean throughBpmn) {
  }

  private final ProcessEngine engine;
  private final RollbackRequestedDelegate delegate;

  SessionRollbacks(ProcessEngine engine, RollbackRequestedDelegate delegate) {
    this.engine = engine;
    this.delegate = delegate;
  }

  Done rollback(Cortex cortex, String actor, Session session, Checkpoint target, boolean force) {
    ProcessInstance running = runningInstance(session);
    if (running == null || !subscribed(running.getId())) {
      RollbackResult result = cortex.rollback(session.sessionId(), target.checkpointId(), force);
      return new Done(result, session.processInstanceId(), null, false);
    }
    SafetyReport safety = cortex.checkSafety(session.sessionId(), target.checkpointId());
    if (!safety.safe() && !(force && safety.allowsForce())) {
      auditRefusal(session, target, force, actor, safety);
      throw new RollbackRefusedException(safety, force);
    }
    delegate.reset();
    try {
      engine.getRuntimeService().createMessageCorrelation(RollbackRequestedDelegate.MESSAGE)
          .processInstanceId(running.getId())
          .setVariable(RollbackRequestedDelegate.TARGET, target.checkpointId())
          .setVariable(RollbackRequestedDelegate.FORCE, force)
          .setVariable(RollbackRequestedDelegate.ACTOR, actor)
          .correlateWithResult();
    } catch (RuntimeException e) {
      throw cortexCause(e);
    }
    RollbackRequestedDelegate.Outcome outcome = delegate.takeOutcome();
    if (outcome == null) {
      throw new CortexException("The rollback of session " + session.sessionId() + " was handed to process instance "
          + running.getId() + ", but its task Task_PerformRollback did not run in the request (is it asynchronous?);"
          + " see the instance in Cockpit and the audit log.");
    }
    return new Done(outcome.result(), running.getId(), outcome.phaseActivityId(), true);
  }

  /** The session's process instance if it is running. */
  ProcessInstance runningInstance(Session session) {
    return session.processInstanceId() == null ? null : engine.getRuntimeService().createProcessInstanceQuery()
        .processInstanceId(session.processInstanceId()).singleResult();
  }

  /** Whether the instance's process has the rollback event subprocess (instances of older versions may not). */
  private boolean subscribed(String processInstanceId) {
    return engine.getRuntimeService().createEventSubscriptionQuery().processInstanceId(processInstanceId)
        .eventType("message").eventName(RollbackRequestedDelegate.MESSAGE).count() > 0;
  }

  /** The audit entry the API writes for a refusal, written here because the refusal never reaches the API. */
  private void auditRefusal(Session session, Checkpoint target, boolean force, String actor, SafetyReport safety) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", target.checkpointId());
    details.put("snapshotCommit", target.snapshotCommit());
    details.put("baseCommit", target.baseCommit());
    details.put("force", force);
    details.put("refusals", safety.refusals().stream().map(r -> r.kind().name()).toList());
    details.put("warning", safety.warning());
    ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired()
        .execute((CommandContext context) -> new AuditLog(EngineTransaction.connection(context))
            .append(AuditAction.SAFETY_REFUSED, Instant.now(), session.sessionId(), actor, details, AuditOutcome.FAILURE));
  }

  /** The engine may wrap what the delegate threw; the caller gets Cortex's exception with its message. */
  private static RuntimeException cortexCause(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CortexException cortex) {
        return cortex;
      }
    }
    return e;
  }
}
