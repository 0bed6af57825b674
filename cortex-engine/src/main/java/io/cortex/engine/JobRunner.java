package io.cortex.engine;

import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Does the job executor's work for an engine that runs without one (the CLI's short-lived
 * engine): executes the jobs that are due — async gates and recovery steps, backoff timers —
 * until none is left or the next one is further away than {@code maxWait}. A failing job is left
 * to the engine's retry handling (fewer retries, a later due date, an incident at the end),
 * exactly as with the job executor. Schedules (timer start events such as retention) are left
 * to a server's job executor: they belong to no process instance and would keep a short-lived
 * engine busy for ever.
 */
public final class JobRunner {

  private final ManagementService management;

  public JobRunner(ProcessEngine engine) {
    this.management = engine.getManagementService();
  }

  /** Runs due jobs; returns how many executions were attempted. */
  public int runUntilIdle(Duration maxWait) {
    int executed = 0;
    while (true) {
      List<Job> due = management.createJobQuery().executable().list().stream()
          .filter(job -> job.getProcessInstanceId() != null && !lockedByAJobExecutor(job)).toList();
      if (!due.isEmpty()) {
        for (Job job : due) {
          executed++;
          try {
            management.executeJob(job.getId());
          } catch (RuntimeException failed) {
            // recorded by the engine on the job (exception, retries, due date) and, finally, as an incident
          }
        }
        continue;
      }
      Job next = management.createJobQuery().withRetriesLeft().active().orderByJobDuedate().asc().list()
          .stream().filter(j -> j.getDuedate() != null && j.getProcessInstanceId() != null).findFirst().orElse(null);
      if (next == null) {
        return executed;
      }
      long waitMs = next.getDuedate().getTime() - ClockUtil.getCurrentTime().getTime();
      if (waitMs > maxWait.toMillis()) {
        return executed;
      }
      sleep(Math.max(10, waitMs + 10));
    }
  }

  /** A job a server's job executor has acquired; running it here too would run it twice. */
  private static boolean lockedByAJobExecutor(Job job) {
    return job instanceof org.camunda.bpm.engine.impl.persistence.entity.JobEntity entity
        && entity.getLockExpirationTime() != null && entity.getLockExpirationTime().after(ClockUtil.getCurrentTime());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a job to become due", e);
    }
  }

}
