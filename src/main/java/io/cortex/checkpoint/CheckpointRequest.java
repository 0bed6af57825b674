package io.cortex.checkpoint;

import java.util.Map;

/**
 * What to checkpoint and why.
 *
 * @param checkpointId an explicit id, or {@code null} to derive one from the type and phase
 *     ({@code green-2}, {@code session-start}, {@code user-3}, …)
 * @param activityInstanceId the activity instance whose end takes the checkpoint; a second
 *     request for the same activity instance and type returns the first checkpoint
 */
public record CheckpointRequest(String sessionId, CheckpointType type, String checkpointId, String phase,
                                String processInstanceId, String activityInstanceId, Map<String, Object> metrics) {

  public static CheckpointRequest userRequested(String sessionId, String checkpointId, Map<String, Object> metrics) {
    return new CheckpointRequest(sessionId, CheckpointType.USER_REQUESTED, checkpointId, null, null, null, metrics);
  }
}
