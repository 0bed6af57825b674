package io.cortex.checkpoint;

import io.cortex.git.CheckpointRef;
import io.cortex.git.CheckpointRefs;
import io.cortex.git.GitWorkspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Restores the catalogue from a repository's checkpoint refs, whose snapshot commits carry the checkpoint metadata.
 * It accepts every state the refs and rows can be in and never stops at the first problem:
 *
 * <ul>
 *   <li>a ref whose snapshot describes its own checkpoint restores that checkpoint's row (a missing row is added, an
 *       altered one replaced);</li>
 *   <li>a ref that cannot be read as its checkpoint (a plain commit, metadata that does not parse, the snapshot of
 *       another checkpoint: a moved ref) restores nothing and is reported with what to do; ref and commit stay;</li>
 *   <li>a row whose ref is missing, moved or unreadable is kept (it is the only record left) and reported;</li>
 *   <li>two checkpoints of a session with one sequence number (a release that derived the next number from the rows
 *       alone reused the numbers of lost rows): the older keeps it, the newer gets the next free one, reported.</li>
 * </ul>
 *
 * Every row it writes fits the catalogue's unique keys and column sizes, so it ends with a {@link Report}, not with
 * a database error.
 */
public final class CatalogueRebuild {

  /**
   * What a rebuild did.
   *
   * @param sessions the sessions rebuilt
   * @param checkpoints how many checkpoints are listed from their refs now
   * @param keptRows how many rows were kept although their ref is missing or does not hold them (in problems too)
   * @param renumbered checkpoints that got a new sequence number, with the old and new one
   * @param problems what was not restored (or kept without its ref), each with what to do
   */
  public record Report(List<String> sessions, int checkpoints, int keptRows, List<String> renumbered,
                       List<String> problems) {

    public Report {
      sessions = List.copyOf(sessions);
      renumbered = List.copyOf(renumbered);
      problems = List.copyOf(problems);
    }
  }

  private CatalogueRebuild() {
  }

  public static Report run(Catalogue catalogue, Path repository, String onlySession, Instant now) {
    try (GitWorkspace git = GitWorkspace.open(repository)) {
      Map<String, List<RefContent>> refsBySession = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (CheckpointRef ref : git.checkpointRefs(onlySession)) {
        if (!Ids.isValid(ref.sessionId()) || !Ids.isValid(ref.checkpointId())) {
          problems.add(notRestored(ref, "its name is not a valid session/checkpoint id (" + Ids.RULE + ")"));
          continue;
        }
        refsBySession.computeIfAbsent(ref.sessionId(), k -> new ArrayList<>()).add(RefContent.read(git, ref));
      }
      Set<String> sessions = new TreeSet<>(refsBySession.keySet());
      catalogue.sessionsOfRepository(git.workTree()).stream().map(Session::sessionId)
          .filter(id -> onlySession == null || onlySession.equals(id)).forEach(sessions::add);

      List<String> rebuilt = new ArrayList<>();
      List<String> renumbered = new ArrayList<>();
      int restored = 0;
      int kept = 0;
      for (String sessionId : sessions) {
        List<RefContent> refs = refsBySession.getOrDefault(sessionId, List.of());
        Optional<Session> known = catalogue.session(sessionId);
        if (known.isPresent() && !known.get().repository().equals(git.workTree())) {
          problems.add("session " + sessionId + ": not rebuilt, the catalogue has it on repository "
              + known.get().repository() + "; rebuild it there ('cortex rebuild --repo " + known.get().repository()
              + "'). Its refs in " + git.workTree() + " are left as they are.");
          continue;
        }
        Counts counts = rebuildSession(catalogue, git, sessionId, refs, known.isEmpty(), now, renumbered, problems);
        restored += counts.restored();
        kept += counts.kept();
        rebuilt.add(sessionId);
      }
      return new Report(rebuilt, restored, kept, renumbered, problems);
    }
  }

  private record Counts(int restored, int kept) {
  }

  /** Replaces the session's rows by what its refs say, keeping rows whose ref cannot say it. */
  private static Counts rebuildSession(Catalogue catalogue, GitWorkspace git, String sessionId, List<RefContent> refs,
                                    boolean newSession, Instant now, List<String> renumbered, List<String> problems) {
    Map<String, Checkpoint> fromRefs = new LinkedHashMap<>();
    Map<String, RefContent> byId = new LinkedHashMap<>();
    for (RefContent ref : refs) {
      byId.put(ref.ref().checkpointId(), ref);
      if (whyNot(ref) == null) {
        fromRefs.put(ref.ref().checkpointId(), ref.checkpoint());
      } // else reported below, once the rows are known
    }
    List<Checkpoint> rows = newSession ? List.of() : catalogue.checkpoints(sessionId);
    Map<String, Checkpoint> result = new LinkedHashMap<>(fromRefs);
    for (Checkpoint row : rows) {
      if (!result.containsKey(row.checkpointId())) {
        result.put(row.checkpointId(), row);
        problems.add(keptWithoutRef(git, row, byId.get(row.checkpointId())));
      }
    }
    for (RefContent ref : refs) {
      if (!result.containsKey(ref.ref().checkpointId())) {
        problems.add(notRestored(ref.ref(), whyNot(ref)));
      }
    }
    if (result.isEmpty()) {
      return new Counts(0, 0);
    }
    List<Checkpoint> ordered = distinctSequences(result.values(), renumbered);
    if (newSession) {
      Checkpoint first = ordered.get(0);
      catalogue.insertSession(new Session(sessionId, null, first.processInstanceId(), git.workTree(),
          first.createdAt() != null ? first.createdAt() : now));
    }
    catalogue.deleteCheckpoints(sessionId);
    ordered.forEach(catalogue::insert);
    int restored = (int) ordered.stream().filter(c -> fromRefs.containsKey(c.checkpointId())).count();
    return new Counts(restored, ordered.size() - restored);
  }

  /**
   * One sequence number per checkpoint: where two share one, the one created first keeps it and the other gets the
   * next number above all of them. Deterministic, so rebuilding twice gives the same rows.
   */
  private static List<Checkpoint> distinctSequences(java.util.Collection<Checkpoint> checkpoints,
                                                    List<String> renumbered) {
    List<Checkpoint> sorted = new ArrayList<>(checkpoints);
    sorted.sort(Comparator.comparingLong(Checkpoint::sequence).thenComparing(Checkpoint::createdAt)
        .thenComparing(Checkpoint::checkpointId));
    long next = sorted.stream().mapToLong(Checkpoint::sequence).max().orElse(0) + 1;
    Set<Long> used = new HashSet<>();
    List<Checkpoint> result = new ArrayList<>();
    List<Checkpoint> moved = new ArrayList<>();
    for (Checkpoint c : sorted) {
      if (used.add(c.sequence())) {
        result.add(c);
      } else {
        moved.add(c);
      }
    }
    moved.sort(Comparator.comparing(Checkpoint::createdAt).thenComparing(Checkpoint::checkpointId));
    for (Checkpoint c : moved) {
      Checkpoint again = SnapshotMessage.withHash(c.withSequence(next++));
      renumbered.add(c.sessionId() + "/" + c.checkpointId() + ": sequence " + c.sequence() + " -> " + again.sequence()
          + " (" + c.sequence() + " was taken by an older checkpoint of the session)");
      result.add(again);
    }
    result.sort(Comparator.comparingLong(Checkpoint::sequence));
    return result;
  }

  /** Why a ref restores no row, or {@code null} when it restores its checkpoint's. */
  private static String whyNot(RefContent ref) {
    if (!ref.readable()) {
      return ref.problem();
    }
    String tooLong = CatalogueLimits.firstTooLong(ref.checkpoint());
    return tooLong == null ? null : "a field of its metadata is longer than the catalogue holds (" + tooLong + ")";
  }

  private static String notRestored(CheckpointRef ref, String why) {
    String name = CheckpointRefs.PREFIX + ref.sessionId() + "/" + ref.checkpointId();
    return ref.sessionId() + "/" + ref.checkpointId() + ": not restored, " + why + ". The ref and its commit are left"
        + " as they are: look at it with 'git show " + ref.commitId() + "', and if it is not wanted, delete it with"
        + " 'git update-ref -d " + name + "'.";
  }

  private static String keptWithoutRef(GitWorkspace git, Checkpoint row, RefContent ref) {
    String name = CheckpointRefs.refName(row.sessionId(), row.checkpointId());
    String state = ref == null ? "its ref " + name + " is missing"
        : "its ref " + name + " does not hold it: " + whyNot(ref);
    String todo = git.isReadableCommit(row.snapshotCommit())
        ? " Rollback to it is refused until the ref is right: if the row is, put the ref back with 'git update-ref "
          + name + " " + row.snapshotCommit() + "'."
        : " Its snapshot " + row.shortSnapshot() + " is no longer in the repository either, so it cannot be restored.";
    return row.sessionId() + "/" + row.checkpointId() + ": catalogue row kept, " + state + "." + todo;
  }
}
