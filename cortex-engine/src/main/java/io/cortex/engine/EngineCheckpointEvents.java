package io.cortex.engine;

import io.cortex.audit.AuditAction;
import io.cortex.audit.AuditLog;
import io.cortex.audit.AuditOutcome;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointEvents;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * Audits each checkpoint in the transaction that creates it and tells the observers once that
 * transaction has committed (the engine's own transaction listener), so observers never hear of
 * a checkpoint that was rolled back.
 */
final class EngineCheckpointEvents implements CheckpointEvents {

  private final Observers observers;
  private final Clock clock;

  EngineCheckpointEvents(Observers observers, Clock clock) {
    this.observers = observers;
    this.clock = clock;
  }

  @Override
  public void created(Checkpoint checkpoint, String actor) {
    CommandContext context = Context.getCommandContext();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("checkpointId", checkpoint.checkpointId());
    details.put("type", checkpoint.type().name());
    if (checkpoint.phase() != null) {
      details.put("phase", checkpoint.phase());
    }
    details.put("snapshotCommit", checkpoint.snapshotCommit());
    if (!checkpoint.skipped().isEmpty()) {
      details.put("skipped", checkpoint.skipped());
    }
    new AuditLog(EngineTransaction.connection(context)).append(AuditAction.CHECKPOINT_CREATED, clock.instant(),
        checkpoint.sessionId(), actor != null ? actor : EngineTransaction.actor(context), details, AuditOutcome.SUCCESS);
    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
        committed -> observers.notifyAll(o -> o.checkpointCreated(checkpoint)));
  }
}
