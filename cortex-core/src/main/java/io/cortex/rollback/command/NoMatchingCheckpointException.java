package io.cortex.rollback.command;

import io.cortex.base.CortexException;

/**
 * No checkpoint fits a meaning-based target ({@code last green}, {@code before REFACTOR}, ...);
 * the message says why.
 */
public class NoMatchingCheckpointException extends CortexException {

  private final String sessionId;
  private final transient Target target;

  public NoMatchingCheckpointException(String sessionId, Target target, String message) {
    super(message);
    this.sessionId = sessionId;
    this.target = target;
  }

  /** The session searched, or {@code null} when there was none to search. */
  public String sessionId() {
    return sessionId;
  }

  public Target target() {
    return target;
  }
}
