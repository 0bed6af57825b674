package io.cortex.git;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * Finds git's lock files in the way of a write: {@code index.lock}, {@code HEAD.lock}, {@code packed-refs.lock},
 * the lock of the checked-out branch's ref, and the locks of the refs the caller is about to write. Git holds one
 * for the few milliseconds of a write; so a lock file that is still there after a short grace period belongs to a
 * git process that runs long or crashed.
 *
 * <p>Only these files are looked at, never a walk of {@code refs/**}: the cost stays a handful of {@code stat}
 * calls however many refs the repository has (a walk took 63 ms at 21,100 loose refs, on every checkpoint). A lock
 * on some other ref does not stop the operation, because the operation does not write that ref; should it run into
 * one anyway, JGit's own lock fails and {@link #explain} reports it the same way.
 */
final class GitLockFiles {

  /** How long a lock file may take to go away before it counts as in the way (a live git write is faster). */
  static final Duration GRACE = Duration.ofMillis(500);
  private static final long POLL_MS = 25;

  private GitLockFiles() {
  }

  /**
   * Fails with {@link StaleGitLockException} when a lock file is (still, after {@link #GRACE}) present: one of
   * the repository's own (index, HEAD, packed-refs, current branch) or the lock of one of {@code refNames}.
   */
  static void requireNone(Repository repository, Path workTree, String attempted, Collection<String> refNames) {
    List<Path> candidates = candidates(repository, refNames);
    long deadline = System.nanoTime() + GRACE.toNanos();
    Optional<Path> found = firstExisting(candidates);
    while (found.isPresent() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = firstExisting(candidates);
    }
    if (found.isPresent()) {
      throw new StaleGitLockException(workTree, found.get(), age(found.get()), attempted);
    }
  }

  /** The exception for a lock file JGit ran into, if {@code lockFile} (or one of the repository's own) is there. */
  static Optional<StaleGitLockException> explain(Repository repository, Path workTree, File lockFile, String attempted) {
    Path file = lockFile != null && lockFile.exists() ? lockFile.toPath()
        : firstExisting(candidates(repository, List.of())).orElse(null);
    return file == null ? Optional.empty()
        : Optional.of(new StaleGitLockException(workTree, file, age(file), attempted));
  }

  /** The lock file of {@code refName} (a loose ref lives in the common directory of linked work trees). */
  static File lockFileOf(Repository repository, String refName) {
    File dir = Constants.HEAD.equals(refName) ? repository.getDirectory() : commonDir(repository);
    return new File(dir, refName + ".lock");
  }

  /** The lock files a write of {@code refNames} (and the index, HEAD and the current branch) can meet. */
  static List<Path> candidates(Repository repository, Collection<String> refNames) {
    Path gitDir = repository.getDirectory().toPath();
    List<Path> candidates = new ArrayList<>();
    candidates.add(gitDir.resolve("index.lock"));
    candidates.add(gitDir.resolve("HEAD.lock"));
    candidates.add(commonDir(repository).toPath().resolve("packed-refs.lock"));
    currentBranch(repository).ifPresent(branch -> candidates.add(lockFileOf(repository, branch).toPath()));
    for (String ref : refNames) {
      candidates.add(lockFileOf(repository, ref).toPath());
    }
    return candidates;
  }

  /**
   * The full name of the branch HEAD points at (born or not), empty on a detached HEAD. Read from the HEAD file
   * ({@code ref: refs/heads/main}) rather than resolved through JGit, which would read all of {@code packed-refs}
   * in a newly opened repository (10 ms at 21,100 packed refs).
   */
  private static Optional<String> currentBranch(Repository repository) {
    try {
      String head = Files.readString(repository.getDirectory().toPath().resolve(Constants.HEAD),
          StandardCharsets.UTF_8).trim();
      return head.startsWith("ref: ") ? Optional.of(head.substring(5).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // an unreadable HEAD fails the operation itself, with its own message
    }
  }

  private static Optional<Path> firstExisting(List<Path> candidates) {
    return candidates.stream().filter(Files::exists).findFirst();
  }

  private static File commonDir(Repository repository) {
    return repository.getCommonDirectory() != null ? repository.getCommonDirectory() : repository.getDirectory();
  }

  private static Duration age(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      return Duration.between(modified.toInstant(), Instant.now());
    } catch (IOException e) {
      return null;
    }
  }
}
