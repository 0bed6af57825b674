package io.cortex.rollback;

import io.cortex.checkpoint.Checkpoint;
import java.util.List;

/**
 * What a rollback would do, computed without changing anything (the dry run).
 *
 * @param modified files whose content or mode would change
 * @param added files the rollback would bring back
 * @param deleted tracked files the rollback would remove
 * @param untrackedRemoved untracked files the rollback would remove (kept in the PRE_ROLLBACK checkpoint)
 * @param stat a {@code git diff --stat}-like summary
 * @param diff the unified diff from the working tree now to the checkpoint
 * @param permissionsChanged files whose bytes stay and whose permission bits would change
 * @param leftAlone nested repositories and files over the size cap, never touched
 * @param keptIgnored files the checkpoint does not have that are kept because they are ignored (now or there)
 * @param conflicts why the rollback could not be done; empty when it can (the rollback would change nothing then)
 * @param indexChanges whether the index (staged content, flags) would change
 */
public record RollbackPreview(String sessionId, Checkpoint target, SafetyReport safety, List<String> modified,
                              List<String> added, List<String> deleted, List<String> untrackedRemoved,
                              String stat, String diff, List<String> permissionsChanged, List<String> leftAlone,
                              List<String> keptIgnored, List<String> conflicts, boolean indexChanges) {
}
