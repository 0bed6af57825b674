package io.cortex.rollback;

import io.cortex.rollback.command.ParsedCommand;

/**
 * What a natural-language rollback command did: the parsed command and either the preview
 * (dry run) or the completed rollback.
 */
public record RollbackOutcome(ParsedCommand command, String sessionId, String checkpointId,
                              RollbackPreview preview, RollbackResult result) {

  public boolean dryRun() {
    return preview != null;
  }
}
