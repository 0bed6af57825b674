package io.cortex.rollback.command;

import io.cortex.base.CortexException;
import java.util.List;

/** A rollback command without a session fits more than one session; it must name one. */
public class AmbiguousTargetException extends CortexException {

  private final List<String> candidates;

  private AmbiguousTargetException(String message, List<String> candidates) {
    super(message);
    this.candidates = List.copyOf(candidates);
  }

  /** Checkpoint {@code checkpointId} exists in each of {@code sessions}. */
  public static AmbiguousTargetException forCheckpoint(String checkpointId, List<String> sessions) {
    return new AmbiguousTargetException("Checkpoint '" + checkpointId + "' exists in " + sessions.size()
        + " sessions: " + String.join(", ", sessions) + ". Add 'session <id>' to say which,"
        + " e.g. 'rollback to checkpoint " + checkpointId + " session " + sessions.get(0) + "'.", sessions);
  }

  /** A meaning-based target ({@code last green}, ...) could mean a checkpoint of any of {@code sessions}. */
  public static AmbiguousTargetException forTarget(Target target, List<String> sessions) {
    return new AmbiguousTargetException("Cannot tell which session '" + target.describe() + "' means: "
        + sessions.size() + " sessions exist (" + String.join(", ", sessions) + "). Add 'session <id>' to say which,"
        + " e.g. 'rollback to " + target.describe() + " session " + sessions.get(0) + "'.", sessions);
  }

  /** The sessions the command could mean, sorted. */
  public List<String> candidates() {
    return candidates;
  }
}
