package io.cortex.engine;

import io.cortex.checkpoint.Catalogue;
import io.cortex.checkpoint.Session;
import io.cortex.db.Transactions;
import io.cortex.intent.Intent;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An interrupted rollback, undo or retention run that could not be finished becomes an incident of type
 * {@value #TYPE} on its session's process instance, so operators see it in Cockpit beside the engine's own
 * incidents; its message says what happened and what to do, its configuration is the intent's id. Resolve it
 * once the repository is as it should be: {@code RuntimeService#resolveIncident}, or
 * {@code DELETE /engine-rest/incident/{id}}.
 */
final class InterruptedOperationIncidents {

  static final String TYPE = "cortexInterruptedOperation";

  private static final Logger LOG = LoggerFactory.getLogger(InterruptedOperationIncidents.class);

  private final Transactions transactions;
  private volatile ProcessEngine engine;

  InterruptedOperationIncidents(Transactions transactions) {
    this.transactions = transactions;
  }

  void engineStarted(ProcessEngine engine) {
    this.engine = engine;
  }

  /** Raises the incident, in a transaction of its own; never throws (the audit entry is written already). */
  void raise(Intent intent, String message) {
    ProcessEngine current = engine;
    if (current == null || intent.sessionId() == null) {
      return;
    }
    try {
      String instanceId = transactions.run(c -> new Catalogue(c).session(intent.sessionId())
          .map(Session::processInstanceId).orElse(null));
      if (instanceId == null) {
        return;
      }
      ((ProcessEngineConfigurationImpl) current.getProcessEngineConfiguration()).getCommandExecutorTxRequiresNew()
          .execute(context -> {
            org.camunda.bpm.engine.runtime.ActivityInstance tree = current.getRuntimeService().getActivityInstance(instanceId);
            String executionId = tree == null ? null : leafExecution(tree);
            if (executionId != null) {
              current.getRuntimeService().createIncident(TYPE, executionId, intent.intentId(),
                  message.length() > 3900 ? message.substring(0, 3900) + "..." : message);
            }
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("Could not raise an incident for the unfinished {} of session {}: {}", intent.operation(),
          intent.sessionId(), e.getMessage());
    }
  }

  /** An execution waiting in an activity (an incident must name one): the first leaf of the activity tree. */
  private static String leafExecution(org.camunda.bpm.engine.runtime.ActivityInstance node) {
    for (org.camunda.bpm.engine.runtime.ActivityInstance child : node.getChildActivityInstances()) {
      String leaf = leafExecution(child);
      if (leaf != null) {
        return leaf;
      }
    }
    return node.getChildActivityInstances().length == 0 && node.getExecutionIds().length > 0
        ? node.getExecutionIds()[0] : null;
  }
}
