package io.cortex.git;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A git lock file ({@code .git/index.lock}, a ref's {@code .lock}, {@code packed-refs.lock}) is in the way of a
 * write. Git creates one while it writes and deletes it when done; one that stays was left by a git process
 * that still runs or that crashed. Cortex never deletes it: only the user can tell which.
 */
public class StaleGitLockException extends GitException {

  private final Path lockFile;

  public StaleGitLockException(Path workTree, Path lockFile, Duration age, String attempted) {
    super("Cannot " + attempted + " in " + workTree + ": the git lock file " + lockFile + " exists"
        + (age == null ? "" : " (created " + describe(age) + " ago)") + ". Another git process may be running in "
        + workTree + ", or one crashed and left it behind. If no git process is running in " + workTree
        + ", delete " + lockFile + " and retry. Nothing was changed; Cortex deletes no lock file it cannot prove its own.");
    this.lockFile = lockFile;
  }

  /** The lock file that is in the way. */
  public Path lockFile() {
    return lockFile;
  }

  private static String describe(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    if (s < 86400) {
      return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
    return (s / 86400) + " days";
  }
}
