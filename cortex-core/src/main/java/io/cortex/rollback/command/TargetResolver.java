package io.cortex.rollback.command;

import io.cortex.checkpoint.CheckpointNotFoundException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.SessionNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a {@link ParsedCommand} into the checkpoint it means. Pure: it looks only at the maps it
 * is given.
 *
 * <p>Without a session in the command, an exact id picks the one session that has it, and a
 * meaning-based target the only session there is; more than one candidate is an
 * {@link AmbiguousTargetException}. Within the session:
 * <ul>
 *   <li>{@code X}: the checkpoint with that id, of any type, else {@link CheckpointNotFoundException};</li>
 *   <li>{@code last <phase>}: the newest checkpoint of that phase (ignoring case);</li>
 *   <li>{@code before <phase>}: while the phase runs, the newest checkpoint; else the newest
 *       checkpoint older than the phase's newest checkpoint;</li>
 *   <li>{@code last passing}: the newest checkpoint whose metrics say the tests passed;</li>
 *   <li>{@code latest}: the newest checkpoint.</li>
 * </ul>
 * Meaning-based targets never choose a PRE_ROLLBACK checkpoint; when none fits they throw
 * {@link NoMatchingCheckpointException} saying why.
 */
public final class TargetResolver {

  /**
   * @param cmd a valid command from {@link RollbackCommandParser}
   * @param checkpointsBySession every session's checkpoints, oldest first
   * @param activePhasesBySession the phases running now in each session; may be {@code null} or miss sessions
   * @throws InvalidRollbackCommandException when {@code cmd} is not valid
   * @throws SessionNotFoundException when the command names a session that is not in the map
   */
  public Resolution resolve(ParsedCommand cmd, Map<String, List<Checkpoint>> checkpointsBySession,
                            Map<String, List<String>> activePhasesBySession) {
    Objects.requireNonNull(cmd, "cmd");
    if (!cmd.valid()) {
      throw new InvalidRollbackCommandException(cmd.error());
    }
    Map<String, List<Checkpoint>> sessions = checkpointsBySession == null ? Map.of() : checkpointsBySession;
    String sessionId = cmd.sessionId() != null ? requireKnown(cmd.sessionId(), sessions)
        : inferSession(cmd.target(), sessions);
    List<String> active = activePhasesBySession == null ? null : activePhasesBySession.get(sessionId);
    Checkpoint checkpoint = new SessionTargets(sessionId, orEmpty(sessions.get(sessionId)), orEmpty(active))
        .find(cmd.target());
    return new Resolution(sessionId, checkpoint);
  }

  private static String requireKnown(String sessionId, Map<String, List<Checkpoint>> sessions) {
    if (!sessions.containsKey(sessionId)) {
      throw new SessionNotFoundException(sessionId);
    }
    return sessionId;
  }

  private static String inferSession(Target target, Map<String, List<Checkpoint>> sessions) {
    List<String> all = sessions.keySet().stream().sorted().toList();
    if (target instanceof Target.Exact exact) {
      return sessionHolding(exact.checkpointId(), sessions, all);
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    if (all.isEmpty()) {
      throw new NoMatchingCheckpointException(null, target, "No sessions exist, so '" + target.describe()
          + "' has nothing to roll back to. Start one with './cortex start <workflow> --repo PATH --session <id>'.");
    }
    throw AmbiguousTargetException.forTarget(target, all);
  }

  private static String sessionHolding(String checkpointId, Map<String, List<Checkpoint>> sessions, List<String> all) {
    List<String> holders = all.stream()
        .filter(s -> orEmpty(sessions.get(s)).stream().anyMatch(c -> c.checkpointId().equals(checkpointId)))
        .toList();
    if (holders.size() == 1) {
      return holders.get(0);
    }
    if (holders.size() > 1) {
      throw AmbiguousTargetException.forCheckpoint(checkpointId, holders);
    }
    List<String> ids = new ArrayList<>();
    List<String> idSessions = new ArrayList<>();
    for (String session : all) {
      for (Checkpoint checkpoint : orEmpty(sessions.get(session))) {
        ids.add(checkpoint.checkpointId());
        idSessions.add(session);
      }
    }
    String suggestion = ClosestId.among(checkpointId, ids).orElse(null);
    String suggestionSession = suggestion == null ? null : idSessions.get(ids.lastIndexOf(suggestion));
    throw CheckpointNotFoundException.inNoSession(checkpointId, all, suggestion, suggestionSession);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
