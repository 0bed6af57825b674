package io.cortex.rollback.command;

import io.cortex.checkpoint.CheckpointNotFoundException;
import io.cortex.checkpoint.Checkpoint;
import io.cortex.checkpoint.CheckpointType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a target among one session's checkpoints (oldest first). Meaning-based targets never
 * choose a PRE_ROLLBACK checkpoint; only an exact id does.
 */
final class SessionTargets {

  private final String sessionId;
  private final List<Checkpoint> all;
  private final List<Checkpoint> eligible;
  private final List<String> activePhases;

  SessionTargets(String sessionId, List<Checkpoint> checkpoints, List<String> activePhases) {
    this.sessionId = sessionId;
    this.all = checkpoints;
    this.eligible = checkpoints.stream().filter(c -> c.type() != CheckpointType.PRE_ROLLBACK).toList();
    this.activePhases = activePhases;
  }

  Checkpoint find(Target target) {
    if (target instanceof Target.Exact exact) {
      return exact(exact.checkpointId());
    }
    if (target instanceof Target.LastOfPhase last) {
      return lastOfPhase(last);
    }
    if (target instanceof Target.BeforePhase before) {
      return beforePhase(before);
    }
    if (target instanceof Target.LastPassing passing) {
      return newest(eligible.size(), c -> PassingMetrics.passed(c.metrics())).orElseThrow(() -> noMatch(passing,
          "No passing checkpoint in session " + sessionId + ": none of its " + eligible.size()
          + " checkpoints (PRE_ROLLBACK ones not counted) has metrics that say the tests passed. Passing means "
          + PassingMetrics.RULE + "."));
    }
    return newest(eligible.size(), c -> true).orElseThrow(() -> noMatch(target,
        "Session " + sessionId + " has no checkpoint to roll back to" + (all.isEmpty() ? "."
        : ": it has only PRE_ROLLBACK checkpoints (" + String.join(", ", ids(all))
        + "), which only an exact id chooses.")));
  }

  private Checkpoint exact(String checkpointId) {
    return all.stream().filter(c -> c.checkpointId().equals(checkpointId)).findFirst()
        .orElseThrow(() -> new CheckpointNotFoundException(checkpointId, sessionId, ids(all),
            ClosestId.among(checkpointId, ids(all)).orElse(null)));
  }

  private Checkpoint lastOfPhase(Target.LastOfPhase target) {
    return newest(eligible.size(), ofPhase(target.phase())).orElseThrow(() -> noMatch(target,
        "No checkpoint of phase '" + target.phase() + "' in session " + sessionId + " to roll back to; "
        + phasesWithCheckpoints() + "."));
  }

  /** The state when the phase's current run began, or when its last run began. */
  private Checkpoint beforePhase(Target.BeforePhase target) {
    String phase = target.phase();
    if (activePhases.stream().anyMatch(phase::equalsIgnoreCase)) {
      return newest(eligible.size(), c -> true).orElseThrow(() -> noMatch(target, "Phase '" + phase
          + "' is running in session " + sessionId + ", but the session has no checkpoint from before it to roll"
          + " back to."));
    }
    int lastOfPhase = newestIndex(eligible.size(), ofPhase(phase));
    if (lastOfPhase < 0) {
      throw noMatch(target, "Cannot tell when phase '" + phase + "' began in session " + sessionId
          + ": it is not running" + (activePhases.isEmpty() ? "" : " (active: " + String.join(", ", activePhases) + ")")
          + " and no checkpoint is of that phase; " + phasesWithCheckpoints() + ".");
    }
    Checkpoint anchor = eligible.get(lastOfPhase);
    return newest(lastOfPhase, c -> true).orElseThrow(() -> noMatch(target, "Nothing to roll back to before phase '"
        + phase + "' in session " + sessionId + ": its last " + phase + " checkpoint '" + anchor.checkpointId()
        + "' is the session's first checkpoint (PRE_ROLLBACK ones not counted). Use 'rollback to "
        + anchor.checkpointId() + "' to go back to the end of that phase."));
  }

  private static Predicate<Checkpoint> ofPhase(String phase) {
    return c -> phase.equalsIgnoreCase(c.phase());
  }

  /** The newest eligible checkpoint before index {@code end} that matches. */
  private Optional<Checkpoint> newest(int end, Predicate<Checkpoint> matches) {
    int index = newestIndex(end, matches);
    return index < 0 ? Optional.empty() : Optional.of(eligible.get(index));
  }

  private int newestIndex(int end, Predicate<Checkpoint> matches) {
    for (int i = end - 1; i >= 0; i--) {
      if (matches.test(eligible.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private String phasesWithCheckpoints() {
    Set<String> phases = new LinkedHashSet<>();
    eligible.stream().map(Checkpoint::phase).filter(p -> p != null).forEach(phases::add);
    return phases.isEmpty() ? "no checkpoint of this session has a phase"
        : "phases with checkpoints: " + String.join(", ", phases);
  }

  private static List<String> ids(List<Checkpoint> checkpoints) {
    return checkpoints.stream().map(Checkpoint::checkpointId).toList();
  }

  private NoMatchingCheckpointException noMatch(Target target, String message) {
    return new NoMatchingCheckpointException(sessionId, target, message);
  }
}
