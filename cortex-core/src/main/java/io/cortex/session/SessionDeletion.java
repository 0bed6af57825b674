package io.cortex.session;

import java.nio.file.Path;
import java.util.List;

/**
 * What deleting a session removes (a dry run) or removed: its catalogue rows and its checkpoint refs under
 * {@code refs/cortex/checkpoints/<session>/}. The audit log keeps its entries and records the deletion.
 *
 * @param checkpointIds the checkpoints whose rows go
 * @param refs the refs that go (their snapshot commits become unreachable; {@code git gc} may prune them later)
 * @param cancelledProcessInstance the running process instance cancelled with it, or null
 * @param notes what could not be done, e.g. refs of a repository that is gone
 */
public record SessionDeletion(String sessionId, Path repository, boolean dryRun, List<String> checkpointIds,
                              List<String> refs, String cancelledProcessInstance, List<String> notes) {

  public SessionDeletion {
    checkpointIds = List.copyOf(checkpointIds);
    refs = List.copyOf(refs);
    notes = List.copyOf(notes);
  }
}
