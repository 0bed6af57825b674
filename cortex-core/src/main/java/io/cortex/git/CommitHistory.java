package io.cortex.git;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Reads the commit history from HEAD, like {@code git log -n maxCount}, to enrich a seed with
 * the repository's recent commits.
 *
 * <p>Results are cached per (work tree, HEAD commit, maxCount) in a small LRU of
 * {@value #CAPACITY} entries, so asking again while HEAD has not moved does not walk the
 * history again; any new commit, checkout or reset moves HEAD and gives fresh results. An
 * instance is safe for concurrent use.
 */
public final class CommitHistory {

  /**
   * One commit as {@code git log} shows it.
   *
   * @param sha the full commit id
   * @param shortSha the shortest unique abbreviation of at least 7 characters
   * @param author the author's name
   * @param email the author's email
   * @param time the author date
   * @param subject the first paragraph of the message, joined into one line ({@code %s})
   * @param parents full ids of the parents, first parent first (empty for a root commit)
   */
  public record CommitInfo(String sha, String shortSha, String author, String email, Instant time,
                           String subject, List<String> parents) {

    public CommitInfo {
      Objects.requireNonNull(sha, "sha");
      parents = List.copyOf(parents);
    }
  }

  static final int CAPACITY = 64;

  private record Key(Path workTree, String head, int maxCount) {
  }

  private final Map<Key, List<CommitInfo>> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, List<CommitInfo>> eldest) {
      return size() > CAPACITY;
    }
  };
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /**
   * The newest {@code maxCount} commits reachable from HEAD, newest first (git log's default
   * order); an empty list in a repository without commits.
   *
   * @throws IllegalArgumentException when {@code maxCount} is negative
   * @throws GitException when the history cannot be read
   */
  public List<CommitInfo> log(GitWorkspace git, int maxCount) {
    if (maxCount < 0) {
      throw new IllegalArgumentException("maxCount must not be negative: " + maxCount);
    }
    Optional<String> head = git.head();
    if (head.isEmpty() || maxCount == 0) {
      return List.of();
    }
    Key key = new Key(git.workTree(), head.get(), maxCount);
    synchronized (cache) {
      List<CommitInfo> cached = cache.get(key);
      if (cached != null) {
        hits.incrementAndGet();
        return cached;
      }
    }
    misses.incrementAndGet();
    List<CommitInfo> commits = walk(git, head.get(), maxCount);
    synchronized (cache) {
      cache.put(key, commits);
    }
    return commits;
  }

  /** Forgets every cached result (the counters are kept). */
  public void clear() {
    synchronized (cache) {
      cache.clear();
    }
  }

  /** Calls of {@link #log} answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Calls of {@link #log} that walked the history. */
  public long misses() {
    return misses.get();
  }

  private static List<CommitInfo> walk(GitWorkspace git, String head, int maxCount) {
    try (ObjectReader reader = git.repository().newObjectReader();
         RevWalk walk = new RevWalk(reader)) {
      walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
      List<CommitInfo> commits = new ArrayList<>(Math.min(maxCount, 256));
      RevCommit commit;
      while (commits.size() < maxCount && (commit = walk.next()) != null) {
        commits.add(info(reader, commit));
      }
      return List.copyOf(commits);
    } catch (IOException e) {
      throw new GitException("Could not read the history of " + git.workTree() + " from " + head + ": "
          + e.getMessage(), e);
    }
  }

  private static CommitInfo info(ObjectReader reader, RevCommit commit) throws IOException {
    PersonIdent author = commit.getAuthorIdent();
    List<String> parents = new ArrayList<>(commit.getParentCount());
    for (RevCommit parent : commit.getParents()) {
      parents.add(parent.name());
    }
    return new CommitInfo(commit.name(), reader.abbreviate(commit, 7).name(), author.getName(),
        author.getEmailAddress(), author.getWhenAsInstant(), commit.getShortMessage(), parents);
  }
}
