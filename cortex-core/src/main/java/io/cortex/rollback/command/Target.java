package io.cortex.rollback.command;

import java.util.Objects;

/**
 * Which checkpoint a rollback command means: one named by id, or one described by meaning
 * ({@code last green}, {@code before REFACTOR}, {@code last passing}, {@code latest}).
 * {@link TargetResolver} turns a target into a checkpoint of a session.
 */
public sealed interface Target {

  /** The target as the command text would say it, e.g. {@code dor-1} or {@code last green}. */
  String describe();

  /** The checkpoint with this id; the only target that may choose a PRE_ROLLBACK checkpoint. */
  record Exact(String checkpointId) implements Target {
    public Exact {
      Objects.requireNonNull(checkpointId, "checkpointId");
    }

    @Override
    public String describe() {
      return checkpointId;
    }
  }

  /** The newest checkpoint taken for this phase (compared ignoring case), e.g. {@code last green}. */
  record LastOfPhase(String phase) implements Target {
    public LastOfPhase {
      Objects.requireNonNull(phase, "phase");
    }

    @Override
    public String describe() {
      return "last " + phase;
    }
  }

  /** The state just before this phase last began, e.g. {@code before REFACTOR}. */
  record BeforePhase(String phase) implements Target {
    public BeforePhase {
      Objects.requireNonNull(phase, "phase");
    }

    @Override
    public String describe() {
      return "before " + phase;
    }
  }

  /** The newest checkpoint whose metrics say the tests passed. */
  record LastPassing() implements Target {
    @Override
    public String describe() {
      return "last passing";
    }
  }

  /** The newest checkpoint. */
  record Latest() implements Target {
    @Override
    public String describe() {
      return "latest";
    }
  }
}
