package io.cortex.git;

/**
 * Naming of the refs that keep checkpoint snapshots reachable:
 * {@code refs/cortex/checkpoints/<session>/<checkpointId>}. Ids are validated before they
 * get here, so the names are always legal ref names.
 */
public final class CheckpointRefs {

  public static final String PREFIX = "refs/cortex/checkpoints/";

  private CheckpointRefs() {
  }

  public static String refName(String sessionId, String checkpointId) {
    return PREFIX + sessionId + "/" + checkpointId;
  }

  public static String sessionPrefix(String sessionId) {
    return PREFIX + sessionId + "/";
  }
}
