package io.cortex.engine;

/** Process variables Cortex reads. */
public final class CortexVariables {

  /** Absolute path of the session's git work tree; required when a process has phases. */
  public static final String REPOSITORY_PATH = "repositoryPath";

  /**
   * Metrics of the phase being completed: a JSON object as a String, or a {@code Map}. Read by
   * the phase's checkpoint and removed afterwards, so the next phase starts without them.
   */
  public static final String METRICS = "cortexMetrics";

  /**
   * Set (true) by {@code Cortex.resumeSession} on the new process instance of a session that ended: the session's
   * row then takes the new instance, instead of the start refusing an id that exists.
   */
  public static final String RESUME = "cortexResume";

  private CortexVariables() {
  }
}
