package io.cortex.git;

import java.nio.file.Path;
import java.util.List;

/** A restore found, before touching anything, that it cannot be done as planned; nothing was changed. */
public class RestoreConflictException extends GitException {

  private final List<String> conflicts;

  public RestoreConflictException(Path workTree, List<String> conflicts) {
    super(String.join("; ", conflicts) + " (in " + workTree + "). Nothing was changed.");
    this.conflicts = List.copyOf(conflicts);
  }

  public List<String> conflicts() {
    return conflicts;
  }
}
