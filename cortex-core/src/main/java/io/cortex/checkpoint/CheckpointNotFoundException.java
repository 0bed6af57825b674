package io.cortex.checkpoint;

import io.cortex.base.CortexException;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint id that does not exist (in a session, or in any session). The message starts like the
 * seed's ({@code Invalid checkpoint: X not found}), lists the ids there are and suggests the
 * closest one when it is only a typo away.
 */
public class CheckpointNotFoundException extends CortexException {

  private static final int SHOWN_IDS = 20;

  private final String checkpointId;
  private final String sessionId;
  private final String suggestion;

  /**
   * No checkpoint {@code checkpointId} in session {@code sessionId}.
   *
   * @param available the session's checkpoint ids, oldest first
   * @param suggestion the closest id, or {@code null}
   */
  public CheckpointNotFoundException(String checkpointId, String sessionId, List<String> available, String suggestion) {
    this("Invalid checkpoint: " + checkpointId + " not found in session " + sessionId
        + (available.isEmpty() ? " (the session has no checkpoints)." : ". Available: " + shown(available) + ".")
        + (suggestion == null ? "" : " Did you mean '" + suggestion + "'?"), checkpointId, sessionId, suggestion);
  }

  private CheckpointNotFoundException(String message, String checkpointId, String sessionId, String suggestion) {
    super(message);
    this.checkpointId = checkpointId;
    this.sessionId = sessionId;
    this.suggestion = suggestion;
  }

  /**
   * No session holds checkpoint {@code checkpointId}.
   *
   * @param sessions every session searched, sorted
   * @param suggestion the closest id of any session, or {@code null}
   * @param suggestionSession the session holding {@code suggestion}, or {@code null}
   */
  public static CheckpointNotFoundException inNoSession(String checkpointId, List<String> sessions, String suggestion,
                                                       String suggestionSession) {
    String where = sessions.isEmpty()
        ? ": there are no sessions yet. Start one with './cortex start <workflow> --repo PATH --session <id>'."
        : " in any session (searched " + shown(sessions) + ").";
    String hint = suggestion == null ? "" : " Did you mean '" + suggestion + "' (session " + suggestionSession
        + ")? Add 'session <id>' to be sure of the session.";
    return new CheckpointNotFoundException("Invalid checkpoint: " + checkpointId + " not found" + where + hint,
        checkpointId, (String) null, suggestion);
  }

  public String checkpointId() {
    return checkpointId;
  }

  /** The session searched, or {@code null} when the command named none and every session was searched. */
  public String sessionId() {
    return sessionId;
  }

  /** The existing id closest to the one asked for, when it is close enough to be a typo. */
  public Optional<String> suggestion() {
    return Optional.ofNullable(suggestion);
  }

  /** The ids, the newest {@value #SHOWN_IDS} when there are more. */
  private static String shown(List<String> ids) {
    if (ids.size() <= SHOWN_IDS) {
      return String.join(", ", ids);
    }
    List<String> newest = ids.subList(ids.size() - SHOWN_IDS, ids.size());
    return "… " + (ids.size() - SHOWN_IDS) + " older, " + String.join(", ", newest);
  }
}
