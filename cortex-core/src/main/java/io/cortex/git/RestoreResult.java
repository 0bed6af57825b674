package io.cortex.git;

import java.util.List;

/**
 * What restoring a snapshot did to the working tree.
 *
 * @param written files written (created or overwritten)
 * @param deleted files removed because the snapshot does not have them
 * @param leftAlone paths deliberately not touched: nested repositories and files over the size cap
 */
public record RestoreResult(List<String> written, List<String> deleted, List<String> leftAlone) {

  public RestoreResult {
    written = List.copyOf(written);
    deleted = List.copyOf(deleted);
    leftAlone = List.copyOf(leftAlone);
  }
}
