package io.cortex.git;

import java.nio.file.Path;

/** After a restore was applied, the repository still differs from the snapshot: the restore failed. */
public class RestoreVerificationException extends GitException {

  public RestoreVerificationException(Path workTree, String differences) {
    super("The restore in " + workTree + " did not reach the checkpoint's state; still differing: " + differences);
  }
}
