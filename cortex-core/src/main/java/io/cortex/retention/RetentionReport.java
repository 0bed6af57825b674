package io.cortex.retention;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a retention run did.
 *
 * @param deleted the checkpoints whose catalogue row was deleted (and audited), with their reason
 * @param kept how many checkpoints of the repositories looked at stay
 * @param skippedRepositories repositories that no longer exist (or are no git work tree); their
 *     sessions were left alone
 * @param problems everything else worth a look: skipped repositories, refs that could not be
 *     deleted (orphans, harmless), deletions dropped because the checkpoint changed meanwhile,
 *     repositories still above the size limit because the rest is protected
 */
public record RetentionReport(List<RetentionDeletion> deleted, int kept, List<Path> skippedRepositories,
                              List<String> problems) {

  public RetentionReport {
    deleted = List.copyOf(deleted);
    skippedRepositories = List.copyOf(skippedRepositories);
    problems = List.copyOf(problems);
  }

  public int deletedCount() {
    return deleted.size();
  }

  public int deletedCount(RetentionReason reason) {
    return (int) deleted.stream().filter(d -> d.reason() == reason).count();
  }

  /** Deletions per reason; every reason is present, with 0 when none. */
  public Map<RetentionReason, Integer> deletedPerReason() {
    Map<RetentionReason, Integer> counts = new EnumMap<>(RetentionReason.class);
    for (RetentionReason reason : RetentionReason.values()) {
      counts.put(reason, deletedCount(reason));
    }
    return counts;
  }
}
