package io.cortex.engine;

import io.cortex.config.RetryConfig;
import java.time.Duration;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.DefaultFailedJobParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.FailedJobRetryConfiguration;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Gives the async activities of Cortex processes (processes with phases, and the recovery
 * process) the engine's own job retry behaviour, computed from {@code recovery.retry}: an
 * interval list such as {@code PT1S,PT2S} for 3 attempts starting at 1 s doubling. An explicit
 * {@code camunda:failedJobRetryTimeCycle} in the BPMN wins; other processes are left alone.
 */
final class RetryCycleParseListener extends AbstractBpmnParseListener {

  static final String RECOVERY_PROCESS = "cortex-recovery";

  private final RetryConfig retry;

  RetryCycleParseListener(RetryConfig retry) {
    this.retry = retry;
  }

  /** The engine's retry time cycle for the configuration: one interval per retry. */
  static String timeCycle(RetryConfig retry) {
    return retry.delaysMs().stream().map(ms -> Duration.ofMillis(ms).toString()).collect(Collectors.joining(","));
  }

  @Override
  public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
    if (RECOVERY_PROCESS.equals(processDefinition.getKey()) || PhaseParseListener.hasPhase(processDefinition)) {
      apply(processDefinition);
    }
  }

  private void apply(ScopeImpl scope) {
    for (ActivityImpl activity : scope.getActivities()) {
      boolean async = activity.isAsyncBefore() || activity.isAsyncAfter();
      if (async && activity.getProperties().get(DefaultFailedJobParseListener.FAILED_JOB_CONFIGURATION) == null) {
        String cycle = timeCycle(retry);
        if (cycle.isEmpty()) {
          // one attempt only: the first failure leaves no retries, i.e. an incident
          activity.getProperties().set(DefaultFailedJobParseListener.FAILED_JOB_CONFIGURATION,
              new FailedJobRetryConfiguration(1, java.util.List.of("PT0S")));
        } else {
          activity.getProperties().set(DefaultFailedJobParseListener.FAILED_JOB_CONFIGURATION,
              new FailedJobRetryConfiguration(Context.getProcessEngineConfiguration().getExpressionManager()
                  .createExpression(cycle)));
        }
      }
      apply(activity);
    }
  }
}
