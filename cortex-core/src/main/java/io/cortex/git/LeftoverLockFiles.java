package io.cortex.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * Removes the lock files an interrupted Cortex write left behind — and only those: the files such a write
 * locks ({@code index.lock}, {@code HEAD.lock}, {@code packed-refs.lock}, the current branch's and the named
 * refs' locks), created after the write began (its intent record's time), and older than
 * {@link GitLockFiles#GRACE} so no live git write is cut short. The caller must hold the repository's lock and
 * know the write's process is gone (its intent is pending while the lock is free). Any other lock file stays
 * and is reported as {@link StaleGitLockException}: never deleted blindly.
 */
final class LeftoverLockFiles {

  /** Clock skew allowed between the database's record of the write and the file system's times. */
  private static final long SKEW_MS = 2_000;

  private LeftoverLockFiles() {
  }

  static List<Path> remove(Repository repository, Instant writeBegan, Collection<String> refNames) throws IOException {
    Path gitDir = repository.getDirectory().toPath().normalize();
    Path commonDir = (repository.getCommonDirectory() != null ? repository.getCommonDirectory().toPath() : gitDir)
        .normalize();
    Set<Path> candidates = new LinkedHashSet<>();
    GitLockFiles.candidates(repository, refNames).forEach(lock -> candidates.add(lock.normalize()));
    List<Path> removed = new ArrayList<>();
    for (Path lock : candidates) {
      if (!lock.startsWith(commonDir) && !lock.startsWith(gitDir) || !Files.isRegularFile(lock)) {
        continue;
      }
      if (Files.getLastModifiedTime(lock).toMillis() < writeBegan.toEpochMilli() - SKEW_MS) {
        continue; // older than the interrupted write: not its lock
      }
      if (removeOnceGraceHasPassed(lock)) {
        removed.add(lock);
      }
    }
    return removed;
  }

  /**
   * Removes the lock file of a checkpoint ref ({@code refs/cortex/checkpoints/...}) when it is older than
   * {@link GitLockFiles#GRACE}. Only Cortex writes those refs, always under the repository's lock: the caller,
   * holding that lock for a checkpoint whose id has no catalogue row, knows such a file was left by a Cortex
   * process killed while writing the ref (git itself touches them only for the milliseconds of a pack-refs).
   */
  static java.util.Optional<Path> removeCheckpointRefLock(Repository repository, String refName) throws IOException {
    if (!refName.startsWith(CheckpointRefs.PREFIX) || refName.contains("..")) {
      return java.util.Optional.empty();
    }
    Path lock = GitLockFiles.lockFileOf(repository, refName).toPath();
    return Files.isRegularFile(lock) && removeOnceGraceHasPassed(lock) ? java.util.Optional.of(lock)
        : java.util.Optional.empty();
  }

  /**
   * Deletes {@code lock} once it is older than {@link GitLockFiles#GRACE}; false when it went away or was taken
   * anew meanwhile (a live git write, which is never cut short).
   */
  private static boolean removeOnceGraceHasPassed(Path lock) throws IOException {
    long modified = Files.getLastModifiedTime(lock).toMillis();
    long age = System.currentTimeMillis() - modified;
    if (age < GitLockFiles.GRACE.toMillis()) {
      sleep(GitLockFiles.GRACE.toMillis() - age);
      if (!Files.exists(lock) || Files.getLastModifiedTime(lock).toMillis() != modified) {
        return false;
      }
    }
    Files.deleteIfExists(lock);
    return true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
