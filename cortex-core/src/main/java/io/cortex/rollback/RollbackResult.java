package io.cortex.rollback;

import io.cortex.checkpoint.Checkpoint;
import java.util.List;

/**
 * A completed rollback or undo.
 *
 * @param target the checkpoint restored
 * @param preRollback the checkpoint taken just before, holding everything the rollback overwrote
 * @param undo whether this was an undo (target is then the previous PRE_ROLLBACK checkpoint)
 * @param written files written from the checkpoint
 * @param deleted files removed because the checkpoint does not have them
 * @param leftAlone nested repositories and oversized files deliberately not touched
 */
public record RollbackResult(String sessionId, Checkpoint target, Checkpoint preRollback, boolean undo,
                             List<String> written, List<String> deleted, List<String> leftAlone) {

  public String message() {
    return (undo ? "Undo completed: session " + sessionId + " is back at " : "Rollback completed successfully: session "
        + sessionId + " is at ") + target.checkpointId() + " (" + target.shortSnapshot() + "); the state before is kept in "
        + preRollback.checkpointId();
  }
}
