package io.cortex.engine;

import io.cortex.base.CortexException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.Session;
import io.cortex.query.CatalogueReads;
import io.cortex.rollback.RollbackResult;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ${cortexRollbackRequested}}, the task "Roll back to checkpoint" of the workflows' interrupting
 * event subprocess "Rollback requested" (message {@value #MESSAGE}).
 *
 * <p>When it runs, the phase that was running has been interrupted. It reads {@value #TARGET},
 * {@value #FORCE} and {@value #ACTOR}, starts the target checkpoint's phase again with a process instance
 * modification (so the instance waits there once the event subprocess ends), then rolls the repository back
 * with Cortex's rollback service (its safety check and audit run under the repository's lock). A refused or failed rollback throws: the whole correlation rolls back, the
 * interrupted phase is still where it was, and nothing but the audit entry remains. The modification comes
 * first so that nothing can fail in the engine after git was touched, except the commit itself.
 *
 * <p>Registered by {@link CortexProcessEnginePlugin} like every delegate of the shipped BPMN, so the workflows'
 * rollback event subprocess runs in any engine with the plugin, with Spring or without.
 */
public class RollbackRequestedDelegate implements JavaDelegate {

  public static final String BEAN_NAME = "cortexRollbackRequested";
  public static final String MESSAGE = "CortexRollbackRequested";
  public static final String TARGET = "rollbackTarget";
  public static final String FORCE = "rollbackForce";
  public static final String ACTOR = "rollbackActor";
  /** Optional: an id under which the caller that correlated the message collects the {@link Outcome}. */
  public static final String REQUEST = "rollbackRequestId";
  /** Set on the process instance after a rollback: the PRE_ROLLBACK checkpoint that keeps the state before. */
  public static final String PRE_ROLLBACK = "rollbackPreRollbackCheckpoint";

  /** What the task did, for the caller that correlated the message with a {@value #REQUEST}. */
  public record Outcome(RollbackResult result, String phaseActivityId) {
  }

  private final CortexServices services;
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

  RollbackRequestedDelegate(CortexServices services) {
    this.services = services;
  }

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
    CatalogueReads reads = new CatalogueReads(services.transactions());
    Session session = reads.session(sessionId);
    Checkpoint target = reads.checkpoint(sessionId, checkpointId);
    String phaseActivity = PhaseTargets.activityFor(execution.getBpmnModelInstance(), target,
        execution.getProcessInstanceId(), engine.getHistoryService());

    engine.getRuntimeService().createProcessInstanceModification(execution.getProcessInstanceId())
        .startBeforeActivity(phaseActivity)
        .execute();
    RollbackResult result = services.rollbacks().rollback(session, target, force, actor(execution, engine));

    // The request's variables are consumed (history keeps them); a later message must name its own target.
    Object request = execution.getVariable(REQUEST);
    execution.removeVariable(TARGET);
    execution.removeVariable(FORCE);
    execution.removeVariable(ACTOR);
    execution.removeVariable(REQUEST);
    execution.setVariable(PRE_ROLLBACK, result.preRollback().checkpointId());
    if (request instanceof String id && !id.isBlank()) {
      outcomes.put(id, new Outcome(result, phaseActivity));
    }
  }

  /**
   * The outcome of the task run for the correlation that set {@value #REQUEST} to {@code requestId}, once; empty
   * when the task did not run in that correlation (an asynchronous continuation, a correlation that failed).
   */
  public Optional<Outcome> takeOutcome(String requestId) {
    return Optional.ofNullable(outcomes.remove(requestId));
  }

  private static String actor(DelegateExecution execution, ProcessEngine engine) {
    if (execution.getVariable(ACTOR) instanceof String actor && !actor.isBlank()) {
      return actor;
    }
    Authentication current = engine.getIdentityService().getCurrentAuthentication();
    return current != null && current.getUserId() != null ? current.getUserId() : "engine";
  }
}
