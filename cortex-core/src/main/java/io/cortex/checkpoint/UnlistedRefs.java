package io.cortex.checkpoint;

import io.cortex.git.CheckpointRef;
import io.cortex.git.GitWorkspace;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The checkpoint refs of one session that have no catalogue row, read under the repository's lock. Usually none, or
 * the orphan of a checkpoint whose transaction rolled back; after catalogue rows were lost, every checkpoint whose
 * row went. Their sequence numbers and ids stay taken, so a new checkpoint neither reuses a sequence number (which
 * made {@code rebuild} fail on the unique index) nor overwrites a ref that {@code rebuild} could still restore.
 */
final class UnlistedRefs {

  private final List<RefContent> refs;

  private UnlistedRefs(List<RefContent> refs) {
    this.refs = refs;
  }

  static UnlistedRefs of(GitWorkspace git, String sessionId, Collection<Checkpoint> rows) {
    Set<String> listed = rows.stream().map(Checkpoint::checkpointId).collect(Collectors.toSet());
    List<RefContent> unlisted = git.checkpointRefs(sessionId).stream()
        .filter(ref -> ref.sessionId().equals(sessionId) && !listed.contains(ref.checkpointId()))
        .map(ref -> RefContent.read(git, ref)).toList();
    return new UnlistedRefs(unlisted);
  }

  /** One above every sequence number of the rows and of the unlisted refs a new checkpoint does not replace. */
  long nextSequence(Collection<Checkpoint> rows, Predicate<RefContent> replaced) {
    long max = rows.stream().mapToLong(Checkpoint::sequence).max().orElse(0);
    for (RefContent ref : refs) {
      if (ref.readable() && !replaced.test(ref)) {
        max = Math.max(max, ref.checkpoint().sequence());
      }
    }
    return max + 1;
  }

  /** Whether a new checkpoint may not take this id: a ref without a row holds it and is not to be replaced. */
  boolean holds(String checkpointId, Predicate<RefContent> replaced) {
    return refs.stream().anyMatch(ref -> ref.ref().checkpointId().equals(checkpointId) && !replaced.test(ref));
  }

  List<CheckpointRef> refs() {
    return refs.stream().map(RefContent::ref).toList();
  }
}
