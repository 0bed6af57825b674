package io.cortex.intent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a multi-step git operation is about to do to a repository, recorded in {@code CORTEX_INTENT} before the
 * first git step and marked {@link IntentState#COMPLETED} or {@link IntentState#FAILED} after the last. One
 * still {@link IntentState#PENDING} when its repository's lock is free belongs to a process that died half-way:
 * {@link InterruptedOperations} finishes it from these details.
 *
 * @param repository the repository's lock key ({@link io.cortex.lock.RepositoryLocks#key})
 * @param owner the process that wrote it ({@code pid@host thread})
 * @param details what the operation needs to be finished: for a rollback or undo the target's
 *     {@code snapshotCommit} and {@code baseCommit}, the {@code expectedHead} it moves the branch from and the
 *     {@code checkpointId} / {@code preRollback} ids; for retention the {@code refs} to delete ({@code ref},
 *     {@code commit})
 */
public record Intent(String intentId, IntentOperation operation, IntentState state, String repository,
                     String sessionId, String owner, Instant createdAt, Map<String, Object> details) {

  public Intent {
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  /** A string detail, or null. */
  public String detail(String key) {
    Object value = details.get(key);
    return value == null ? null : value.toString();
  }

  /** The {@code refs} of a retention intent: ref name to the commit it pointed at when its row was deleted. */
  public List<Map<String, Object>> refs() {
    Object refs = details.get("refs");
    if (!(refs instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().filter(Map.class::isInstance).map(m -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) m;
      return entry;
    }).toList();
  }
}
