package io.cortex.engine;

import io.cortex.Cortex;
import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.rollback.RollbackResult;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * {@code ${cortexRollbackRequested}}, the task "Roll back to checkpoint" of the workflows' interrupting
 * event subprocess "Rollback requested" (message {@value #MESSAGE}).
 *
 * <p>When it runs, the phase that was running has been interrupted. It reads {@value #TARGET},
 * {@value #FORCE} and {@value #ACTOR}, starts the target checkpoint's phase again with a process instance
 * modification (so the instance waits there once the event subprocess ends), then rolls the repository back
 * through the Cortex API. A refused or failed rollback throws: the whole correlation rolls back, the
 * interrupted phase is still where it was, and nothing but the audit entry remains. The modification comes
 * first so that nothing can fail in the engine after git was touched, except the commit itself.
 */
public class RollbackRequestedDelegate implements JavaDelegate {

  public static final String BEAN_NAME = "cortexRollbackRequested";
  public static final String MESSAGE = "CortexRollbackRequested";
  public static final String TARGET = "rollbackTarget";
  public static final String FORCE = "rollbackForce";
  public static final String ACTOR = "rollbackActor";
  /** Set on the process instance after a rollback: the PRE_ROLLBACK checkpoint that keeps the state before. */
  public static final String PRE_ROLLBACK = "rollbackPreRollbackCheckpoint";

  /** What the task did, for the caller that correlated the message in the same thread. */
  public record Outcome(RollbackResult result, String phaseActivityId) {
  }

  private final ThreadLocal<Outcome> lastOutcome = new ThreadLocal<>();

  @Override
  public void execute(DelegateExecution execution) {
    String sessionId = execution.getProcessBusinessKey();
    if (!(execution.getVariable(TARGET) instanceof String checkpointId) || checkpointId.isBlank()) {
      throw new CortexException("Message " + MESSAGE + " for session " + sessionId + " needs the variable " + TARGET
          + " (the checkpoint id to roll back to).");
    }
    boolean force = Boolean.TRUE.equals(execution.getVariable(FORCE))
        || "true".equalsIgnoreCase(String.valueOf(execution.getVariable(FORCE)));
    ProcessEngine engine = execution.getProcessEngine();
    Cortex cortex = Cortex.on(engine).withActor(actor(execution, engine));
    Checkpoint target = cortex.checkpoint(sessionId, checkpointId);
    String phaseActivity = PhaseTargets.activityFor(execution.getBpmnModelInstance(), target,
        execution.getProcessInstanceId(), engine.getHistoryService());

    engine.getRuntimeService().createProcessInstanceModification(execution.getProcessInstanceId())
        .startBeforeActivity(phaseActivity)
        .execute();
    RollbackResult result = cortex.rollback(sessionId, target.checkpointId(), force);

    // The request's variables are consumed (history keeps them); a later message must name its own target.
    execution.removeVariable(TARGET);
    execution.removeVariable(FORCE);
    execution.removeVariable(ACTOR);
    execution.setVariable(PRE_ROLLBACK, result.preRollback().checkpointId());
    lastOutcome.set(new Outcome(result, phaseActivity));
  }

  /** Clears what a previous call left in this thread. */
  public void reset() {
    lastOutcome.remove();
  }

  /** The outcome of the task run in this thread since {@link #reset()}, or null; clears it. */
  public Outcome takeOutcome() {
    Outcome outcome = lastOutcome.get();
    lastOutcome.remove();
    return outcome;
  }

  private static String actor(DelegateExecution execution, ProcessEngine engine) {
    if (execution.getVariable(ACTOR) instanceof String actor && !actor.isBlank()) {
      return actor;
    }
    Authentication current = engine.getIdentityService().getCurrentAuthentication();
    return current != null && current.getUserId() != null ? current.getUserId() : "engine";
  }
}
