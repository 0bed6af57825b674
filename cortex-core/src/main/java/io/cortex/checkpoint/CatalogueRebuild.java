package io.cortex.checkpoint;

import io.cortex.base.CortexException;
import io.cortex.git.CheckpointRef;
import io.cortex.git.GitWorkspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restores the catalogue from a repository's checkpoint refs, whose snapshot commits carry the
 * checkpoint metadata. Per session found, the catalogue rows are replaced by what the refs say,
 * which also repairs rows that were altered. Refs that are not Cortex snapshots are reported.
 */
public final class CatalogueRebuild {

  /** What a rebuild did. */
  public record Report(List<String> sessions, int checkpoints, List<String> problems) {
  }

  private CatalogueRebuild() {
  }

  public static Report run(Catalogue catalogue, Path repository, String onlySession, Instant now) {
    try (GitWorkspace git = GitWorkspace.open(repository)) {
      Map<String, List<Checkpoint>> bySession = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (CheckpointRef ref : git.checkpointRefs(onlySession)) {
        try {
          Checkpoint c = SnapshotMessage.parse(git.commitMessage(ref.commitId()), ref.commitId());
          if (!c.sessionId().equals(ref.sessionId()) || !c.checkpointId().equals(ref.checkpointId())) {
            problems.add(ref.sessionId() + "/" + ref.checkpointId() + ": its snapshot belongs to "
                + c.sessionId() + "/" + c.checkpointId() + "; skipped");
            continue;
          }
          bySession.computeIfAbsent(c.sessionId(), k -> new ArrayList<>()).add(c);
        } catch (CortexException e) {
          problems.add(ref.sessionId() + "/" + ref.checkpointId() + ": " + e.getMessage());
        }
      }
      int restored = 0;
      for (Map.Entry<String, List<Checkpoint>> entry : bySession.entrySet()) {
        List<Checkpoint> checkpoints = entry.getValue();
        checkpoints.sort(Comparator.comparingLong(Checkpoint::sequence));
        if (catalogue.session(entry.getKey()).isEmpty()) {
          Checkpoint first = checkpoints.get(0);
          catalogue.insertSession(new Session(entry.getKey(), null, first.processInstanceId(), git.workTree(),
              first.createdAt() != null ? first.createdAt() : now));
        }
        catalogue.deleteCheckpoints(entry.getKey());
        for (Checkpoint c : checkpoints) {
          catalogue.insert(c);
          restored++;
        }
      }
      return new Report(List.copyOf(bySession.keySet()), restored, problems);
    }
  }
}
