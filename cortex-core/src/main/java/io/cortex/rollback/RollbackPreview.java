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
 */
public record RollbackPreview(String sessionId, Checkpoint target, SafetyReport safety, List<String> modified,
                              List<String> added, List<String> deleted, List<String> untrackedRemoved,
                              String stat, String diff) {
}
