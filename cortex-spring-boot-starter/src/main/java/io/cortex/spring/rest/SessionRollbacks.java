package io.cortex.spring.rest;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.engine.CortexProcessEnginePlugin;
import io.cortex.engine.RollbackRequestedDelegate;
import io.cortex.rollback.RollbackResult;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/**
 * Rollback of a session for the REST API. A session whose process instance runs (and has the rollback event
 * subprocess) is rolled back <em>as BPMN</em>: the message {@value RollbackRequestedDelegate#MESSAGE} is
 * correlated, the interrupting event subprocess runs "Roll back to checkpoint" in this thread, and the instance
 * waits in the restored checkpoint's phase; the rollback is in the instance's history. A refusal (the safety
 * check runs once, in the task, under the repository's lock) rolls the correlation back and leaves the instance
 * where it was. A session without a
 * running instance (ended, imported) is rolled back directly through the API.
 */
final class SessionRollbacks {

  /** A rollback that ran: the result, the instance it concerned and, through BPMN, the phase it waits in. */
  record Done(RollbackResult result, String processInstanceId, String phaseActivityId, boolean throughBpmn) {
  }

  private final ProcessEngine engine;
  private final RollbackRequestedDelegate delegate;

  SessionRollbacks(ProcessEngine engine) {
    this.engine = engine;
    this.delegate = (RollbackRequestedDelegate) CortexProcessEnginePlugin.of(
            (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .orElseThrow(() -> new CortexException("Engine '" + engine.getName() + "' has no CortexProcessEnginePlugin"))
        .services().delegates().get(RollbackRequestedDelegate.BEAN_NAME);
  }

  Done rollback(Cortex cortex, String actor, Session session, Checkpoint target, boolean force) {
    ProcessInstance running = runningInstance(session);
    if (running == null || !subscribed(running.getId())) {
      RollbackResult result = cortex.rollback(session.sessionId(), target.checkpointId(), force);
      return new Done(result, session.processInstanceId(), null, false);
    }
    // The task checks safety under the repository's lock and audits a refusal itself (in a transaction of its
    // own); a refusal then rolls the whole correlation back, so the instance stays in its phase.
    String requestId = UUID.randomUUID().toString();
    try {
      engine.getRuntimeService().createMessageCorrelation(RollbackRequestedDelegate.MESSAGE)
          .processInstanceId(running.getId())
          .setVariable(RollbackRequestedDelegate.TARGET, target.checkpointId())
          .setVariable(RollbackRequestedDelegate.FORCE, force)
          .setVariable(RollbackRequestedDelegate.ACTOR, actor)
          .setVariable(RollbackRequestedDelegate.REQUEST, requestId)
          .correlateWithResult();
    } catch (RuntimeException e) {
      delegate.takeOutcome(requestId);
      throw cortexCause(e);
    }
    RollbackRequestedDelegate.Outcome outcome = delegate.takeOutcome(requestId).orElseThrow(() -> new CortexException(
        "The rollback of session " + session.sessionId() + " was handed to process instance " + running.getId()
            + ", but its task Task_PerformRollback did not run in the request (is it asynchronous?);"
            + " see the instance in Cockpit and the audit log."));
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
