package io.cortex.rollback.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link RollbackCommandParser} read from a rollback command.
 *
 * <p>A valid command has a {@link #target()} and no {@link #error()}; {@link #checkpointId()} is
 * set only for an {@link Target.Exact} target and {@link #sessionId()} only when the text names a
 * session. An invalid command has only an {@link #error()} that says what is wrong and where.
 *
 * @param valid whether the text is a rollback command
 * @param checkpointId the id of an {@link Target.Exact} target, else {@code null}
 * @param sessionId the session the text names, or {@code null} to let the caller infer it
 * @param flags the flags in the text, never {@code null}
 * @param error why the text is not a rollback command, {@code null} when valid
 * @param target the checkpoint the text means, {@code null} when invalid
 */
public record ParsedCommand(boolean valid, String checkpointId, String sessionId, Flags flags, String error,
                            Target target) {

  public ParsedCommand {
    flags = flags == null ? Flags.none() : flags;
    if (valid) {
      Objects.requireNonNull(target, "a valid command needs a target");
      if (error != null) {
        throw new IllegalArgumentException("a valid command has no error: " + error);
      }
      String exactId = target instanceof Target.Exact exact ? exact.checkpointId() : null;
      if (!Objects.equals(checkpointId, exactId)) {
        throw new IllegalArgumentException("checkpointId must be the id of an Exact target, got " + checkpointId
            + " for target " + target.describe());
      }
    } else {
      Objects.requireNonNull(error, "an invalid command needs an error");
      if (checkpointId != null || sessionId != null || target != null) {
        throw new IllegalArgumentException("an invalid command has no checkpoint, session or target");
      }
    }
  }

  /** A valid command; {@code sessionId} may be {@code null}. */
  public static ParsedCommand success(Target target, String sessionId, Flags flags) {
    String checkpointId = target instanceof Target.Exact exact ? exact.checkpointId() : null;
    return new ParsedCommand(true, checkpointId, sessionId, flags, null, target);
  }

  /** An invalid command with the reason. */
  public static ParsedCommand failure(String error) {
    return new ParsedCommand(false, null, null, Flags.none(), error, null);
  }

  /** This command with {@code extra} flags (e.g. given as CLI options) ORed into its own. */
  public ParsedCommand withFlags(Flags extra) {
    return new ParsedCommand(valid, checkpointId, sessionId, flags.or(extra), error, target);
  }

  /**
   * The seed's result shape: {@code {valid, checkpoint_id, session_id, flags: {dry_run, force}, error}},
   * with {@code null} for absent values. A meaning-based target has no {@code checkpoint_id}.
   */
  public Map<String, Object> toSeedMap() {
    Map<String, Object> seedFlags = new LinkedHashMap<>();
    seedFlags.put("dry_run", flags.dryRun());
    seedFlags.put("force", flags.force());
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("valid", valid);
    map.put("checkpoint_id", checkpointId);
    map.put("session_id", sessionId);
    map.put("flags", seedFlags);
    map.put("error", error);
    return map;
  }
}
