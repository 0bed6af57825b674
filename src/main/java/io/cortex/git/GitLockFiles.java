package io.cortex.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;

/**
 * Finds git's lock files in a repository: {@code index.lock}, {@code HEAD.lock}, {@code packed-refs.lock} and
 * {@code refs/**}{@code /*.lock}. Git holds one for the few milliseconds of a write; so a lock file that is
 * still there after a short grace period belongs to a git process that runs long or crashed.
 */
final class GitLockFiles {

  /** How long a lock file may take to go away before it counts as in the way (a live git write is faster). */
  static final Duration GRACE = Duration.ofMillis(500);
  private static final long POLL_MS = 25;

  private GitLockFiles() {
  }

  /** Fails with {@link StaleGitLockException} when a lock file is (still, after {@link #GRACE}) present. */
  static void requireNone(Repository repository, Path workTree, String attempted) {
    long deadline = System.nanoTime() + GRACE.toNanos();
    Optional<Path> found = find(repository);
    while (found.isPresent() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = find(repository);
    }
    if (found.isPresent()) {
      throw new StaleGitLockException(workTree, found.get(), age(found.get()), attempted);
    }
  }

  /** The exception for a lock file JGit ran into, if {@code lockFile} (or any lock file) is there. */
  static Optional<StaleGitLockException> explain(Repository repository, Path workTree, File lockFile, String attempted) {
    Path file = lockFile != null && lockFile.exists() ? lockFile.toPath() : find(repository).orElse(null);
    return file == null ? Optional.empty()
        : Optional.of(new StaleGitLockException(workTree, file, age(file), attempted));
  }

  /** The first lock file found, if any. */
  static Optional<Path> find(Repository repository) {
    List<Path> candidates = new ArrayList<>();
    Path gitDir = repository.getDirectory().toPath();
    Path commonDir = repository.getCommonDirectory() != null ? repository.getCommonDirectory().toPath() : gitDir;
    candidates.add(gitDir.resolve("index.lock"));
    candidates.add(gitDir.resolve("HEAD.lock"));
    candidates.add(commonDir.resolve("packed-refs.lock"));
    for (Path candidate : candidates) {
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
    }
    Path refs = commonDir.resolve("refs");
    if (!Files.isDirectory(refs)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(refs)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p)).findFirst();
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty(); // a ref directory that changes while we walk it is no lock file
    }
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
