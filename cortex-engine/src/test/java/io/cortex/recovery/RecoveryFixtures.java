package io.cortex.recovery;

import io.cortex.Cortex;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import io.cortex.base.Json;
import io.cortex.config.CheckpointConfig;
import io.cortex.config.CortexConfig;
import io.cortex.config.DatabaseConfig;
import io.cortex.config.GatesConfig;
import io.cortex.config.RecoveryConfig;
import io.cortex.config.RetentionConfig;
import io.cortex.config.ServerConfig;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/** Shared helpers of the recovery tests: configurations, instances (running or ended), history. */
final class RecoveryFixtures {

  static final String RECOVERY_PROCESS = "cortex-recovery";

  private RecoveryFixtures() {
  }

  /** The default configuration with the given recovery and gates sections. */
  static CortexConfig config(RecoveryConfig recovery, GatesConfig gates) {
    return new CortexConfig(CheckpointConfig.defaults(), recovery, gates, RetentionConfig.defaults(),
        DatabaseConfig.defaults(), ServerConfig.defaults());
  }

  /**
   * The running workflow instance of a session (not its recovery, which has the same business key).
   */
  static ProcessInstance instanceOf(Cortex cortex, String sessionId) {
    return cortex.engine().getRuntimeService().createProcessInstanceQuery()
        .processInstanceId(cortex.session(sessionId).processInstanceId()).singleResult();
  }

  /** Every recovery instance the parent called, oldest first, running or ended, usable with BpmnAwareTests. */
  static List<ProcessInstance> recoveriesOf(ProcessEngine engine, ProcessInstance parent) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery()
        .superProcessInstanceId(parent.getId()).processDefinitionKey(RECOVERY_PROCESS)
        .orderByProcessInstanceStartTime().asc().list().stream()
        .map(h -> (ProcessInstance) new HistoricInstance(h)).toList();
  }

  /** The one recovery instance the parent called. */
  static ProcessInstance onlyRecoveryOf(ProcessEngine engine, ProcessInstance parent) {
    List<ProcessInstance> recoveries = recoveriesOf(engine, parent);
    if (recoveries.size() != 1) {
      throw new AssertionError("expected one recovery instance of " + parent.getId() + ", found " + recoveries.size());
    }
    return recoveries.get(0);
  }

  /** The value of a variable in the history of an instance (also after it ended). */
  static Object historicVariable(ProcessEngine engine, String processInstanceId, String name) {
    List<HistoricVariableInstance> found = engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceId(processInstanceId).variableName(name).list();
    if (found.isEmpty()) {
      return null;
    }
    if (found.size() > 1) {
      throw new AssertionError("variable " + name + " exists " + found.size() + " times in " + processInstanceId);
    }
    return found.get(0).getValue();
  }

  /** The JSON object {@code recoveryDetails} of a recovery instance. */
  static Map<String, Object> recoveryDetails(ProcessEngine engine, String recoveryInstanceId) {
    return Json.readObject((String) historicVariable(engine, recoveryInstanceId, "recoveryDetails"), "recoveryDetails");
  }

  /** How often an activity ran in an instance. */
  static long timesPassed(ProcessEngine engine, String processInstanceId, String activityId) {
    return engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(processInstanceId)
        .activityId(activityId).count();
  }

  static List<Checkpoint> ofType(List<Checkpoint> checkpoints, CheckpointType type) {
    return checkpoints.stream().filter(c -> c.type() == type).toList();
  }

  static Checkpoint checkpoint(List<Checkpoint> checkpoints, String id) {
    return checkpoints.stream().filter(c -> c.checkpointId().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no checkpoint " + id + " in " + checkpoints.stream()
            .map(Checkpoint::checkpointId).toList()));
  }

  /**
   * A process instance seen through its history, so camunda-bpm-assert can check an instance that
   * already ended ({@code hasPassed}, {@code isEnded}) or one that is still running.
   */
  record HistoricInstance(HistoricProcessInstance history) implements ProcessInstance {

    @Override
    public String getId() {
      return history.getId();
    }

    @Override
    public String getProcessInstanceId() {
      return history.getId();
    }

    @Override
    public String getProcessDefinitionId() {
      return history.getProcessDefinitionId();
    }

    @Override
    public String getProcessDefinitionKey() {
      return history.getProcessDefinitionKey();
    }

    @Override
    public String getBusinessKey() {
      return history.getBusinessKey();
    }

    @Override
    public String getRootProcessInstanceId() {
      return history.getRootProcessInstanceId();
    }

    @Override
    public String getCaseInstanceId() {
      return history.getCaseInstanceId();
    }

    @Override
    public String getTenantId() {
      return history.getTenantId();
    }

    @Override
    public boolean isSuspended() {
      return false;
    }

    @Override
    public boolean isEnded() {
      return history.getEndTime() != null;
    }
  }
}
