package io.cortex.checkpoint;

import java.util.Map;

/**
 * What to checkpoint and why.
 *
 * @param checkpointId an explicit id, or {@code null} to derive one from the type and phase
 *     ({@code green-2}, {@code session-start}, {@code user-3}, …)
 * @param actor who asked, for the audit log; {@code null} means the engine itself
 * @param activityInstanceId the activity instance whose end takes the checkpoint; a second
 *     request for the same activity instance and type returns the first checkpoint
 */
public record CheckpointRequest(String sessionId, CheckpointType type, String checkpointId, String phase,
                                String processInstanceId, String activityInstanceId, Map<String, Object> metrics,
                                String actor) {

  /** A request without a named actor (recorded as {@code engine}). */
  public CheckpointRequest(String sessionId, CheckpointType type, String checkpointId, String phase,
                           String processInstanceId, String activityInstanceId, Map<String, Object> metrics) {
    this(sessionId, type, checkpointId, phase, processInstanceId, activityInstanceId, metrics, null);
  }

}
